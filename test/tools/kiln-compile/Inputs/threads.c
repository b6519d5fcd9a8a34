/* Prints the thread counts a compiled model reports through kiln_model.h
 * as its setting changes (threads.test). */
#include "kiln/runtime/kiln_model.h"

#include <stdio.h>

int main(void) {
  printf("default %d\n", (int)kiln_model_get_num_threads());
  int previous = (int)kiln_model_set_num_threads(2);
  printf("set 2: previous %d, now %d\n", previous,
         (int)kiln_model_get_num_threads());
  previous = (int)kiln_model_set_num_threads(0);
  printf("reset: previous %d, now %d\n", previous,
         (int)kiln_model_get_num_threads());
  return 0;
}
