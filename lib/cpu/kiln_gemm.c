/*===- kiln_gemm.c - thread pool and matrix product kernels -*- C -*-===//
 *
 * See include/kiln/cpu/kiln_kernels.h for the contract. The matrix product
 * is blocked the usual way for caches (panels of A and B copied, "packed",
 * into contiguous buffers: KC steps of the reduction by MC rows and NC
 * columns) around a register-blocked micro-kernel that keeps an MR x NR
 * tile of C in vector registers. The AVX-512 micro-kernel is chosen at run
 * time; other CPUs get a portable one. Work is split over one pool of
 * threads per process. Convolutions (kiln_conv.c) reuse the product.
 *
 *===----------------------------------------------------------------------===*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* sched_getaffinity */
#endif
#ifndef KILN_KERNELS_EMBEDDED
#include "kiln_kernels_internal.h"
#endif

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*===------------------------------------------------------------------===*
 * One pool of threads per process
 *===------------------------------------------------------------------===*/

#define KILN_MAX_THREADS 256

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;
/* Held by the thread that submits a job: one job at a time. */
static pthread_mutex_t pool_submit = PTHREAD_MUTEX_INITIALIZER;
static int pool_workers;   /* worker threads started */
static int pool_requested; /* kiln_set_num_threads; 0: default */
static int pool_built_in;  /* kiln_set_default_num_threads; 0: all cores */
static atomic_ulong pool_generation;
static kiln_task_fn pool_fn;
static void *pool_context;
static int64_t pool_count;
static int pool_participants; /* workers 1..pool_participants join the job */
static atomic_llong pool_next;
static atomic_int pool_active;
static __thread int pool_inside; /* nested parallel loops run serially */

static int default_thread_count(void) {
  const char *env = getenv("KILN_NUM_THREADS");
  if (env && atoi(env) > 0)
    return atoi(env);
  if (pool_built_in > 0)
    return pool_built_in;
#ifdef CPU_COUNT
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
#endif
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? (int)online : 1;
}

KILN_EXPORT int kiln_get_num_threads(void) {
  int n = pool_requested > 0 ? pool_requested : default_thread_count();
  return n > KILN_MAX_THREADS ? KILN_MAX_THREADS : n;
}

KILN_EXPORT int kiln_set_num_threads(int n) {
  int previous = kiln_get_num_threads();
  pool_requested = n > 0 ? n : 0;
  return previous;
}

KILN_EXPORT void kiln_set_default_num_threads(int n) {
  pool_built_in = n > 0 ? n : 0;
}

static void run_items(kiln_task_fn fn, void *context, int64_t count) {
  for (;;) {
    int64_t index = atomic_fetch_add(&pool_next, 1);
    if (index >= count)
      return;
    fn(context, index);
  }
}

static void cpu_relax(void) {
#if defined(__x86_64__)
  _mm_pause();
#endif
}

static void *pool_worker(void *argument) {
  int id = (int)(intptr_t)argument;
  unsigned long seen = 0;
  pool_inside = 1;
  for (;;) {
    /* Spin briefly for the next job, then sleep. */
    for (int spin = 0; spin < 20000 && atomic_load(&pool_generation) == seen;
         ++spin)
      cpu_relax();
    pthread_mutex_lock(&pool_lock);
    while (atomic_load(&pool_generation) == seen)
      pthread_cond_wait(&pool_wake, &pool_lock);
    seen = atomic_load(&pool_generation);
    int join = id <= pool_participants;
    kiln_task_fn fn = pool_fn;
    void *context = pool_context;
    int64_t count = pool_count;
    pthread_mutex_unlock(&pool_lock);
    if (!join)
      continue;
    run_items(fn, context, count);
    if (atomic_fetch_sub(&pool_active, 1) == 1) {
      pthread_mutex_lock(&pool_lock);
      pthread_cond_signal(&pool_done);
      pthread_mutex_unlock(&pool_lock);
    }
  }
  return NULL;
}

/* Runs fn(context, i) for i in [0, count) on up to kiln_get_num_threads()
 * threads, the caller included, and returns when all are done. */
KILN_INTERNAL void kiln_parallel_for(int64_t count, kiln_task_fn fn,
                                     void *context) {
  int threads = kiln_get_num_threads();
  if (count < threads)
    threads = (int)count;
  if (threads <= 1 || pool_inside || pthread_mutex_trylock(&pool_submit)) {
    for (int64_t i = 0; i < count; ++i)
      fn(context, i);
    return;
  }
  while (pool_workers < threads - 1) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&thread, &attributes, pool_worker,
                                (void *)(intptr_t)(pool_workers + 1));
    pthread_attr_destroy(&attributes);
    if (failed)
      break;
    ++pool_workers;
  }
  int participants = threads - 1 < pool_workers ? threads - 1 : pool_workers;
  pthread_mutex_lock(&pool_lock);
  pool_fn = fn;
  pool_context = context;
  pool_count = count;
  pool_participants = participants;
  atomic_store(&pool_next, 0);
  atomic_store(&pool_active, participants);
  atomic_fetch_add(&pool_generation, 1);
  pthread_cond_broadcast(&pool_wake);
  pthread_mutex_unlock(&pool_lock);

  pool_inside = 1;
  run_items(fn, context, count);
  pool_inside = 0;
  for (int spin = 0; spin < 200000 && atomic_load(&pool_active) > 0; ++spin)
    cpu_relax();
  pthread_mutex_lock(&pool_lock);
  while (atomic_load(&pool_active) > 0)
    pthread_cond_wait(&pool_done, &pool_lock);
  pthread_mutex_unlock(&pool_lock);
  pthread_mutex_unlock(&pool_submit);
}
/* kiln_parallel_range: [0, total) in one contiguous chunk per thread. */
typedef struct {
  kiln_range_fn fn;
  void *context;
  int64_t total, chunks;
} range_job;

static void range_chunk(void *job_pointer, int64_t chunk) {
  const range_job *job = (const range_job *)job_pointer;
  int64_t begin = job->total * chunk / job->chunks;
  int64_t end = job->total * (chunk + 1) / job->chunks;
  if (begin < end)
    job->fn(job->context, begin, end);
}

KILN_EXPORT void kiln_parallel_range(int64_t total, kiln_range_fn fn,
                                     void *context) {
  int64_t threads = kiln_get_num_threads();
  if (threads <= 1 || total <= 1 || pool_inside) {
    if (total > 0)
      fn(context, 0, total);
    return;
  }
  range_job job = {fn, context, total, threads < total ? threads : total};
  kiln_parallel_for(job.chunks, range_chunk, &job);
}

/*===------------------------------------------------------------------===*
 * Matrix product: C += A * B
 *===------------------------------------------------------------------===*/

/* Per-thread packing buffers, grown on demand, 64-byte aligned. */
static __thread float *pack_a_buffer, *pack_b_buffer;
static __thread size_t pack_a_size, pack_b_size;

KILN_INTERNAL float *kiln_grow_buffer(float **buffer, size_t *size,
                                      size_t elements) {
  if (*size < elements) {
    free(*buffer);
    size_t bytes = (elements * sizeof(float) + 63) / 64 * 64;
    *buffer = (float *)aligned_alloc(64, bytes);
    *size = *buffer ? elements : 0;
  }
  return *buffer;
}

/* Packs rows [i0, i0+mc) x reduction [p0, p0+kc) of A into MR-row panels,
 * each stored reduction-major (kc x MR), zero-padded to whole panels. */
static void pack_a(const gemm_problem *g, int64_t i0, int64_t mc, int64_t p0,
                   int64_t kc, float *out) {
  for (int64_t ip = 0; ip < mc; ip += MR) {
    int64_t rows = mc - ip < MR ? mc - ip : MR;
    const float *a = g->a + (i0 + ip) * g->a_rs + p0 * g->a_cs;
    if (g->a_cs == 1 && rows == MR) {
      for (int64_t p = 0; p < kc; ++p)
        for (int64_t i = 0; i < MR; ++i)
          out[p * MR + i] = a[i * g->a_rs + p];
    } else {
      for (int64_t p = 0; p < kc; ++p)
        for (int64_t i = 0; i < MR; ++i)
          out[p * MR + i] = i < rows ? a[i * g->a_rs + p * g->a_cs] : 0.0f;
    }
    out += kc * MR;
  }
}

#if defined(__x86_64__)
/* Widest window the vectorized packing handles (its lane tables). */
#define KILN_PACK_MAX_KW 11

/* Which lanes of a panel row one run fills at one tap column, and at
 * stride 2 which source elements its two loads per half read. */
typedef struct {
  __mmask16 lanes[2]; /* panel lanes 0-15, 16-31 */
  uint32_t source[2]; /* at step 2: even source elements, per half */
} run_lanes;

/* The lanes of run [start, start + length) whose input, for a window
 * column starting at input column ix, lies inside the image. */
static run_lanes make_run_lanes(const b_source *b, int64_t start,
                                int64_t length, int64_t ix, int64_t step) {
  int64_t lo = 0, hi = length;
  if (!b->inside) {
    lo = ix < 0 ? (-ix + b->sx - 1) / b->sx : 0;
    hi = ix < b->in_w ? (b->in_w - ix + b->sx - 1) / b->sx : 0;
    hi = hi > length ? length : hi;
    lo = lo > hi ? hi : lo;
  }
  run_lanes rl = {{0, 0}, {0, 0}};
  for (int64_t q = start + lo; q < start + hi; ++q) {
    rl.lanes[q / 16] |= (__mmask16)(1u << (q % 16));
    if (step == 2)
      rl.source[q / 16] |= 1u << (2 * (q % 16));
  }
  return rl;
}

/* One row of an image panel (NR columns) on AVX-512, for input columns 1
 * or 2 apart (`step`): each run is merged into two registers by masked
 * loads that read only its lanes inside the image (at step 2 from twice as
 * many elements, whose even ones a permute picks); every other lane stays
 * zero, and the row is stored whole. from[r] is where lane 0 of the row
 * would read for run r. */
__attribute__((target("avx512f"))) static void
pack_b_row_avx512(float *dst, const float *const *from,
                  const run_lanes *const *lanes, int64_t runs, int64_t step) {
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12,
                                        10, 8, 6, 4, 2, 0);
  __m512 half[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
  for (int64_t r = 0; r < runs; ++r) {
    const run_lanes *rl = lanes[r];
    if (!rl)
      continue; /* the window row is above or below the image */
    for (int h = 0; h < 2; ++h) {
      if (!rl->lanes[h])
        continue;
      const float *base = from[r] + 16 * h * step;
      if (step == 1) {
        half[h] = _mm512_mask_loadu_ps(half[h], rl->lanes[h], base);
      } else {
        __m512 low = _mm512_maskz_loadu_ps((__mmask16)rl->source[h], base);
        __m512 high =
            _mm512_maskz_loadu_ps((__mmask16)(rl->source[h] >> 16), base + 16);
        half[h] = _mm512_mask_mov_ps(half[h], rl->lanes[h],
                                     _mm512_permutex2var_ps(low, even, high));
      }
    }
  }
  _mm512_storeu_ps(dst, half[0]);
  _mm512_storeu_ps(dst + 16, half[1]);
}
#endif

/* Steps (channel, ky, kx) to the next reduction index of an image. */
static inline void next_tap(const b_source *b, int64_t *ch, int64_t *ky,
                            int64_t *kx) {
  if (++*kx == b->kw) {
    *kx = 0;
    if (++*ky == b->kh) {
      *ky = 0;
      ++*ch;
    }
  }
}

/* pack_b for an image (implicit im2col) with implicit zero padding. A run
 * is a set of columns on one output row at consecutive x, whose input
 * elements are sx apart; each run copies the part of its input row inside
 * the image and zero-fills the rest. */
static void pack_b_image(const gemm_problem *g, int64_t p0, int64_t kc,
                         int64_t j0, int64_t nc, float *out) {
  const b_source *b = &g->b;
  int64_t step = b->sx * b->x_stride; /* input distance between columns */
#if defined(__x86_64__)
  int vector_rows = (step == 1 || step == 2) && b->kw <= KILN_PACK_MAX_KW &&
                    __builtin_cpu_supports("avx512f");
#endif
  for (int64_t jp = 0; jp < nc; jp += NR) {
    int64_t cols = nc - jp < NR ? nc - jp : NR;
    int64_t iy0[NR], ix0[NR], run_start[NR + 1], run_count = 0;
    for (int64_t j = 0; j < cols; ++j) {
      int64_t jj = j0 + jp + j;
      iy0[j] = (jj / b->out_w) * b->sy - b->pad_top;
      ix0[j] = (jj % b->out_w) * b->sx - b->pad_left;
      /* Without padding, a run may also continue onto the next output row
       * when the elements stay evenly spaced in memory (1x1 convolutions
       * of whole rows); it then needs no bounds. */
      int continues =
          j > 0 && (iy0[j] == iy0[j - 1] ||
                    (b->inside && iy0[j] * b->y_stride + ix0[j] * b->x_stride ==
                                      iy0[j - 1] * b->y_stride +
                                          ix0[j - 1] * b->x_stride + step));
      if (!continues)
        run_start[run_count++] = j;
    }
    run_start[run_count] = cols;
#if defined(__x86_64__)
    /* Each run's lanes at each window column, computed once per panel
     * rather than per reduction step (the divisions were most of the
     * packing time). */
    run_lanes tap_lanes[NR][KILN_PACK_MAX_KW];
    if (vector_rows)
      for (int64_t r = 0; r < run_count; ++r)
        for (int64_t kx = 0; kx < b->kw; ++kx)
          tap_lanes[r][kx] =
              make_run_lanes(b, run_start[r], run_start[r + 1] - run_start[r],
                             ix0[run_start[r]] + kx * b->dx, step);
#endif
    int64_t ch = p0 / (b->kh * b->kw);
    int64_t ky = (p0 / b->kw) % b->kh, kx = p0 % b->kw;
    for (int64_t p = 0; p < kc; ++p, next_tap(b, &ch, &ky, &kx)) {
      const float *plane = b->base + ch * b->c_stride;
      int64_t oy = ky * b->dy, ox = kx * b->dx;
      float *dst = out + p * NR;
#if defined(__x86_64__)
      if (vector_rows) {
        const float *from[NR];
        const run_lanes *lanes[NR];
        for (int64_t r = 0; r < run_count; ++r) {
          int64_t start = run_start[r];
          int64_t iy = iy0[start] + oy;
          lanes[r] =
              b->inside || (iy >= 0 && iy < b->in_h) ? &tap_lanes[r][kx] : NULL;
          from[r] = plane + iy * b->y_stride + (ix0[start] + ox) * b->x_stride -
                    start * step;
        }
        pack_b_row_avx512(dst, from, lanes, run_count, step);
        continue;
      }
#endif
      for (int64_t r = 0; r < run_count; ++r) {
        int64_t start = run_start[r], length = run_start[r + 1] - start;
        int64_t iy = iy0[start] + oy, ix = ix0[start] + ox;
        /* Elements t in [lo, hi) of the run lie inside the image. */
        int64_t lo = 0, hi = 0;
        if (b->inside) {
          hi = length;
        } else if (iy >= 0 && iy < b->in_h) {
          lo = ix < 0 ? (-ix + b->sx - 1) / b->sx : 0;
          hi = ix < b->in_w ? (b->in_w - ix + b->sx - 1) / b->sx : 0;
          if (hi > length)
            hi = length;
          if (lo > hi)
            lo = hi;
        }
        float *restrict to = dst + start;
        for (int64_t t = 0; t < lo; ++t)
          to[t] = 0.0f;
        const float *restrict from =
            plane + iy * b->y_stride + ix * b->x_stride;
        if (step == 1 && lo == 0 && hi == NR) {
          memcpy(to, from, NR * sizeof(float));
        } else if (step == 1) {
          for (int64_t t = lo; t < hi; ++t)
            to[t] = from[t];
        } else {
          for (int64_t t = lo; t < hi; ++t)
            to[t] = from[t * step];
        }
        for (int64_t t = hi; t < length; ++t)
          to[t] = 0.0f;
      }
      for (int64_t j = cols; j < NR; ++j)
        dst[j] = 0.0f;
    }
    out += kc * NR;
  }
}

/* pack_b for a B stored transposed (unit stride along the reduction, the
 * weight of a linear layer or the K of attention): each column is read
 * along its contiguous run and scattered into the panel, which stays in L1,
 * instead of gathering each panel row across columns. */
static void pack_b_transposed(const gemm_problem *g, int64_t p0, int64_t kc,
                              int64_t j0, int64_t nc, float *out) {
  const b_source *b = &g->b;
  for (int64_t jp = 0; jp < nc; jp += NR) {
    int64_t cols = nc - jp < NR ? nc - jp : NR;
    for (int64_t j = 0; j < cols; ++j) {
      const float *column = b->base + (j0 + jp + j) * b->cs + p0;
      for (int64_t p = 0; p < kc; ++p)
        out[p * NR + j] = column[p];
    }
    for (int64_t j = cols; j < NR; ++j)
      for (int64_t p = 0; p < kc; ++p)
        out[p * NR + j] = 0.0f;
    out += kc * NR;
  }
}

/* Packs reduction [p0, p0+kc) x columns [j0, j0+nc) of B into NR-column
 * panels (kc x NR each), zero-padded to whole panels. Columns whose source
 * elements are adjacent in memory are copied as runs. */
static void pack_b(const gemm_problem *g, int64_t p0, int64_t kc, int64_t j0,
                   int64_t nc, float *out) {
  const b_source *b = &g->b;
  if (b->is_image) {
    pack_b_image(g, p0, kc, j0, nc, out);
    return;
  }
  if (b->rs == 1 && b->cs != 1) {
    pack_b_transposed(g, p0, kc, j0, nc, out);
    return;
  }
  for (int64_t jp = 0; jp < nc; jp += NR) {
    int64_t cols = nc - jp < NR ? nc - jp : NR;
    /* Offset of each column's element in reduction row 0, then runs of
     * columns whose elements are contiguous. */
    int64_t column[NR];
    for (int64_t j = 0; j < cols; ++j)
      column[j] = (j0 + jp + j) * b->cs;
    int64_t run_start[NR + 1], run_count = 0;
    for (int64_t j = 0; j < cols; ++j)
      if (j == 0 || column[j] != column[j - 1] + 1)
        run_start[run_count++] = j;
    run_start[run_count] = cols;
    for (int64_t p = 0; p < kc; ++p) {
      const float *row = b->base + (p0 + p) * b->rs;
      float *dst = out + p * NR;
      if (run_count == 1 && cols == NR) {
        memcpy(dst, row + column[0], NR * sizeof(float));
        continue;
      }
      for (int64_t r = 0; r < run_count; ++r) {
        int64_t start = run_start[r], length = run_start[r + 1] - start;
        const float *src = row + column[start];
        for (int64_t j = 0; j < length; ++j)
          dst[start + j] = src[j];
      }
      for (int64_t j = cols; j < NR; ++j)
        dst[j] = 0.0f;
    }
    out += kc * NR;
  }
}

/* Applies the epilogue to an MR x NR tile and stores it into C (rows x
 * cols of it are real). */
static void finish_tile(const tile_epilogue *e, const float *tile, float *c,
                        int64_t c_rs, int64_t c_cs, int64_t rows,
                        int64_t cols) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      float *out = c + i * c_rs + j * c_cs;
      float value = tile[i * NR + j];
      if (e->load_c)
        value += *out;
      if (e->row_bias)
        value += e->row_bias[i];
      if (e->col_bias)
        value += e->col_bias[j];
      *out = kiln_activate(e->act, e->lo, e->hi, value);
    }
}

/* The portable micro-kernel: an MR x NR tile of C += A panel * B panel. */
static void micro_kernel_generic(const tile_epilogue *e, int64_t kc,
                                 const float *restrict a,
                                 const float *restrict b, int64_t b_rs,
                                 float *c, int64_t c_rs, int64_t c_cs,
                                 int64_t rows, int64_t cols) {
  float tile[MR * NR];
  memset(tile, 0, sizeof(tile));
  for (int64_t p = 0; p < kc; ++p) {
    for (int i = 0; i < MR; ++i) {
      float ai = a[p * MR + i];
      for (int64_t j = 0; j < cols; ++j)
        tile[i * NR + j] += ai * b[p * b_rs + j];
    }
  }
  finish_tile(e, tile, c, c_rs, c_cs, rows, cols);
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void
activate_span_avx512(float *values, int64_t count, int act, float lo,
                     float hi) {
  __m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
  int64_t i = 0;
  for (; i + 16 <= count; i += 16)
    _mm512_storeu_ps(values + i, activate_avx512(act, vlo, vhi,
                                                 _mm512_loadu_ps(values + i)));
  if (i < count) {
    __mmask16 mask = (__mmask16)((1u << (count - i)) - 1);
    _mm512_mask_storeu_ps(
        values + i, mask,
        activate_avx512(act, vlo, vhi,
                        _mm512_maskz_loadu_ps(mask, values + i)));
  }
}
#endif

KILN_INTERNAL void kiln_activate_span(float *values, int64_t count, int act,
                                      float lo, float hi) {
  if (act == KILN_MK_ACT_NONE)
    return;
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) {
    activate_span_avx512(values, count, act, lo, hi);
    return;
  }
#endif
  for (int64_t i = 0; i < count; ++i)
    values[i] = kiln_activate(act, lo, hi, values[i]);
}

#if defined(__x86_64__)
/* The reduction of the AVX-512 micro-kernel: acc += A panel * B rows, B's
 * two halves loaded under m0, m1. Inlined with constant all-ones masks the
 * loads are plain. */
__attribute__((target("avx512f,fma"), always_inline)) static inline void
accumulate_avx512(__m512 acc[MR][2], int64_t kc, const float *restrict a,
                  const float *restrict b, int64_t b_rs, __mmask16 m0,
                  __mmask16 m1) {
  for (int64_t p = 0; p < kc; ++p) {
    __m512 b0 = _mm512_maskz_loadu_ps(m0, b),
           b1 = _mm512_maskz_loadu_ps(m1, b + 16);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += MR;
    b += b_rs;
  }
}

/* The AVX-512 micro-kernel: MR x 32 of C in 2*MR zmm registers; per step
 * of the reduction, two loads of B and MR broadcasts of A feed 2*MR FMAs. */
__attribute__((target("avx512f,fma"))) static void
micro_kernel_avx512(const tile_epilogue *e, int64_t kc, const float *restrict a,
                    const float *restrict b, int64_t b_rs, float *c,
                    int64_t c_rs, int64_t c_cs, int64_t rows, int64_t cols) {
  __m512 acc[MR][2];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
    acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  /* Masked loads read only the real columns of B read in place (a packed
   * panel is zero past them: the same sums). */
  __mmask16 m0 = cols >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << cols) - 1);
  __mmask16 m1 = cols >= 32   ? (__mmask16)0xFFFF
                 : cols <= 16 ? (__mmask16)0
                              : (__mmask16)((1u << (cols - 16)) - 1);
  /* A packed panel is zero-padded to NR columns: full loads (the masked
   * loop costs 5-10% on a 17-column edge, ResNet-18's 7x7 layers). B read
   * in place has its own row stride (a 1x1 convolution's channel stride;
   * equal to NR only for 32-pixel images, which fill whole panels). */
  if (cols == NR || b_rs == NR)
    accumulate_avx512(acc, kc, a, b, b_rs, (__mmask16)0xFFFF,
                      (__mmask16)0xFFFF);
  else
    accumulate_avx512(acc, kc, a, b, b_rs, m0, m1);
  if (c_cs == 1) {
    __m512 col0 = _mm512_setzero_ps(), col1 = _mm512_setzero_ps();
    if (e->col_bias) {
      col0 = _mm512_maskz_loadu_ps(m0, e->col_bias);
      col1 = _mm512_maskz_loadu_ps(m1, e->col_bias + 16);
    }
    __m512 lo = _mm512_set1_ps(e->lo), hi = _mm512_set1_ps(e->hi);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      if (i >= rows)
        break;
      float *row = c + i * c_rs;
      __m512 v0 = acc[i][0], v1 = acc[i][1];
      if (e->load_c) {
        v0 = _mm512_add_ps(_mm512_maskz_loadu_ps(m0, row), v0);
        v1 = _mm512_add_ps(_mm512_maskz_loadu_ps(m1, row + 16), v1);
      }
      if (e->row_bias) {
        __m512 bias = _mm512_set1_ps(e->row_bias[i]);
        v0 = _mm512_add_ps(v0, bias);
        v1 = _mm512_add_ps(v1, bias);
      }
      v0 = _mm512_add_ps(v0, col0);
      v1 = _mm512_add_ps(v1, col1);
      if (e->act) {
        v0 = activate_avx512(e->act, lo, hi, v0);
        v1 = activate_avx512(e->act, lo, hi, v1);
      }
      _mm512_mask_storeu_ps(row, m0, v0);
      if (m1)
        _mm512_mask_storeu_ps(row + 16, m1, v1);
    }
  } else {
    float tile[MR * NR];
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      _mm512_storeu_ps(tile + i * NR, acc[i][0]);
      _mm512_storeu_ps(tile + i * NR + 16, acc[i][1]);
    }
    finish_tile(e, tile, c, c_rs, c_cs, rows, cols);
  }
}
#endif

static micro_kernel_fn select_micro_kernel(void) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f"))
    return micro_kernel_avx512;
#endif
  return micro_kernel_generic;
}

/* B's rows when the micro-kernel can read them in place, unpacked: a 1x1
 * convolution at stride 1 without padding reads its image as a matrix with
 * unit column stride (rows are channels, columns pixels), and the copy that
 * packing makes costs as much as the product when there are few filters
 * (MobileNetV2 0.94x the time, EfficientNet-B0 0.87x). Other matrices are
 * packed: the attention products of the encoder measured 6% slower read in
 * place. Null (pack) otherwise; *row_stride receives the distance between
 * rows. */
static const float *rows_in_place(const gemm_problem *g, int64_t *row_stride) {
  const b_source *b = &g->b;
  if (b->is_image) {
    if (b->kh != 1 || b->kw != 1 || b->sy != 1 || b->sx != 1 || !b->inside ||
        b->x_stride != 1 || b->y_stride != b->in_w || b->out_w != b->in_w)
      return NULL;
    *row_stride = b->c_stride;
    return b->base;
  }
  return NULL;
}

/* One task: rows [i0, i1) of C by column block `n block`, all of the
 * reduction. B's block is packed once per reduction step and shared by all
 * the task's rows; A comes pre-packed (g->packed_a) or is packed by MC rows.
 */
static void gemm_task(void *context, int64_t task) {
  const gemm_problem *g = (const gemm_problem *)context;
  micro_kernel_fn kernel = g->kernel;
  int64_t i0 = (task / g->n_blocks) * g->m_chunk;
  int64_t i1 = i0 + g->m_chunk < g->m ? i0 + g->m_chunk : g->m;
  int64_t j0 = (task % g->n_blocks) * g->nc;
  int64_t nc = g->n - j0 < g->nc ? g->n - j0 : g->nc;
  if (i1 <= i0 || nc <= 0)
    return;
  int64_t m_padded = (g->m + MR - 1) / MR * MR;
  int64_t n_padded = (g->n + NR - 1) / NR * NR;
  int64_t nc_padded = (nc + NR - 1) / NR * NR;
  float *pa = g->packed_a ? NULL
                          : kiln_grow_buffer(&pack_a_buffer, &pack_a_size,
                                             (size_t)(MC * KC));
  int64_t b_rs = NR;
  const float *b_in_place = g->packed_b ? NULL : rows_in_place(g, &b_rs);
  float *pb = g->packed_b || b_in_place
                  ? NULL
                  : kiln_grow_buffer(&pack_b_buffer, &pack_b_size,
                                     (size_t)(nc_padded * KC));
  if ((!g->packed_a && !pa) || (!g->packed_b && !b_in_place && !pb))
    abort(); /* out of memory: nothing sensible to return into */
  for (int64_t p0 = 0; p0 < g->k; p0 += KC) {
    int64_t kc = g->k - p0 < KC ? g->k - p0 : KC;
    const float *b_block;
    if (g->packed_b) {
      b_block = g->packed_b + p0 * n_padded + j0 * kc;
    } else if (b_in_place) {
      b_block = b_in_place + p0 * b_rs + j0;
    } else {
      pack_b(g, p0, kc, j0, nc, pb);
      b_block = pb;
    }
    for (int64_t ib = i0; ib < i1; ib += MC) {
      int64_t mc = i1 - ib < MC ? i1 - ib : MC;
      const float *a_block;
      if (g->packed_a) {
        a_block = g->packed_a + p0 * m_padded + ib * kc;
      } else {
        pack_a(g, ib, mc, p0, kc, pa);
        a_block = pa;
      }
      for (int64_t jp = 0; jp < nc; jp += NR) {
        int64_t cols = nc - jp < NR ? nc - jp : NR;
        const float *bp =
            b_in_place ? b_block + jp : b_block + (jp / NR) * kc * NR;
        for (int64_t ip = 0; ip < mc; ip += MR) {
          int64_t rows = mc - ip < MR ? mc - ip : MR;
          float *c = g->c + (ib + ip) * g->c_rs + (j0 + jp) * g->c_cs;
          tile_epilogue e = {
              !(g->overwrite && p0 == 0),
              p0 + kc >= g->k ? g->act : KILN_MK_ACT_NONE,
              p0 == 0 && g->row_bias ? g->row_bias + ib + ip : NULL,
              p0 == 0 && g->col_bias ? g->col_bias + j0 + jp : NULL,
              g->lo,
              g->hi};
          kernel(&e, kc, a_block + (ip / MR) * kc * MR, bp, b_rs, c, g->c_rs,
                 g->c_cs, rows, cols);
        }
      }
    }
  }
}

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Splits C into tasks, enough for every thread: column blocks of at most
 * NC_MAX when there are enough of them, else row chunks as well. */
KILN_INTERNAL void kiln_gemm_run(gemm_problem *g) {
  if (g->m <= 0 || g->n <= 0 || g->k <= 0)
    return;
  int64_t threads = kiln_get_num_threads();
  g->kernel = select_micro_kernel();
  int64_t n_blocks = ceil_div(g->n, NC_MAX), m_tasks = 1;
  if (n_blocks >= threads) {
    n_blocks = ceil_div(n_blocks, threads) * threads;
  } else {
    m_tasks = ceil_div(threads, n_blocks);
    if (m_tasks > ceil_div(g->m, MR))
      m_tasks = ceil_div(g->m, MR);
    if (m_tasks * n_blocks < threads)
      n_blocks = ceil_div(threads, m_tasks);
  }
  if (n_blocks > ceil_div(g->n, NR))
    n_blocks = ceil_div(g->n, NR);
  g->nc = ceil_div(ceil_div(g->n, n_blocks), NR) * NR;
  g->n_blocks = ceil_div(g->n, g->nc);
  g->m_chunk = ceil_div(ceil_div(g->m, m_tasks), MR) * MR;
  g->m_tasks = ceil_div(g->m, g->m_chunk);
  kiln_parallel_for(g->m_tasks * g->n_blocks, gemm_task, g);
}

/* A product of m x k by k x n, operands still to set. */
static void init_gemm(gemm_problem *g, int64_t m, int64_t n, int64_t k) {
  memset(g, 0, sizeof(*g));
  g->m = m;
  g->n = n;
  g->k = k;
}

/* The operands as strided matrices: element (i, j) at base[i*rs + j*cs]. */
static void set_a(gemm_problem *g, const float *base, int64_t rs, int64_t cs) {
  g->a = base;
  g->a_rs = rs;
  g->a_cs = cs;
}

static void set_b(gemm_problem *g, const float *base, int64_t rs, int64_t cs) {
  g->b.base = base;
  g->b.rs = rs;
  g->b.cs = cs;
}

static void set_c(gemm_problem *g, float *base, int64_t rs, int64_t cs) {
  g->c = base;
  g->c_rs = rs;
  g->c_cs = cs;
}

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_f32(kiln_memref2_f32 *a,
                                               kiln_memref2_f32 *b,
                                               kiln_memref2_f32 *c) {
  gemm_problem g;
  init_gemm(&g, c->sizes[0], c->sizes[1], a->sizes[1]);
  set_a(&g, a->aligned + a->offset, a->strides[0], a->strides[1]);
  set_b(&g, b->aligned + b->offset, b->strides[0], b->strides[1]);
  set_c(&g, c->aligned + c->offset, c->strides[0], c->strides[1]);
  kiln_gemm_run(&g);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_batch_gemm_f32(kiln_memref3_f32 *a,
                                                     kiln_memref3_f32 *b,
                                                     kiln_memref3_f32 *c) {
  for (int64_t i = 0; i < c->sizes[0]; ++i) {
    gemm_problem g;
    init_gemm(&g, c->sizes[1], c->sizes[2], a->sizes[2]);
    set_a(&g, a->aligned + a->offset + i * a->strides[0], a->strides[1],
          a->strides[2]);
    set_b(&g, b->aligned + b->offset + i * b->strides[0], b->strides[1],
          b->strides[2]);
    set_c(&g, c->aligned + c->offset + i * c->strides[0], c->strides[1],
          c->strides[2]);
    kiln_gemm_run(&g);
  }
}

KILN_EXPORT int64_t kiln_mk_packed_a_size(int64_t m, int64_t k) {
  return (m + MR - 1) / MR * MR * k;
}

KILN_EXPORT int64_t kiln_mk_packed_b_size(int64_t k, int64_t n) {
  return (n + NR - 1) / NR * NR * k;
}

KILN_EXPORT void kiln_mk_pack_a_f32(const float *a, int64_t m, int64_t k,
                                    int64_t row_stride, int64_t col_stride,
                                    float *out) {
  gemm_problem g;
  init_gemm(&g, m, 0, k);
  set_a(&g, a, row_stride, col_stride);
  int64_t m_padded = (m + MR - 1) / MR * MR;
  for (int64_t p0 = 0; p0 < k; p0 += KC)
    pack_a(&g, 0, m, p0, k - p0 < KC ? k - p0 : KC, out + p0 * m_padded);
}

KILN_EXPORT void kiln_mk_pack_b_f32(const float *b, int64_t k, int64_t n,
                                    int64_t row_stride, int64_t col_stride,
                                    float *out) {
  gemm_problem g;
  init_gemm(&g, 0, n, k);
  set_b(&g, b, row_stride, col_stride);
  int64_t n_padded = (n + NR - 1) / NR * NR;
  for (int64_t p0 = 0; p0 < k; p0 += KC)
    pack_b(&g, p0, k - p0 < KC ? k - p0 : KC, 0, n, out + p0 * n_padded);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_pa_f32(kiln_memref1_f32 *packed_a,
                                                  kiln_memref2_f32 *b,
                                                  kiln_memref2_f32 *c) {
  gemm_problem g;
  init_gemm(&g, c->sizes[0], c->sizes[1], b->sizes[0]);
  g.packed_a = packed_a->aligned + packed_a->offset;
  set_b(&g, b->aligned + b->offset, b->strides[0], b->strides[1]);
  set_c(&g, c->aligned + c->offset, c->strides[0], c->strides[1]);
  kiln_gemm_run(&g);
}

/* The product of A (strided) and a packed B into C. */
static void setup_gemm_pb(gemm_problem *g, const kiln_memref2_f32 *a,
                          const kiln_memref1_f32 *packed_b,
                          kiln_memref2_f32 *c) {
  init_gemm(g, c->sizes[0], c->sizes[1], a->sizes[1]);
  set_a(g, a->aligned + a->offset, a->strides[0], a->strides[1]);
  g->packed_b = packed_b->aligned + packed_b->offset;
  set_c(g, c->aligned + c->offset, c->strides[0], c->strides[1]);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_pb_f32(kiln_memref2_f32 *a,
                                                  kiln_memref1_f32 *packed_b,
                                                  kiln_memref2_f32 *c) {
  gemm_problem g;
  setup_gemm_pb(&g, a, packed_b, c);
  kiln_gemm_run(&g);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_pb_fused_f32(
    kiln_memref2_f32 *a, kiln_memref1_f32 *packed_b, kiln_memref1_f32 *bias,
    kiln_memref2_f32 *c, int64_t has_bias, int64_t activation, float lo,
    float hi) {
  gemm_problem g;
  setup_gemm_pb(&g, a, packed_b, c);
  g.overwrite = 1;
  g.act = (int)activation;
  g.col_bias = has_bias ? bias->aligned + bias->offset : NULL;
  g.lo = lo;
  g.hi = hi;
  if (g.k == 0)
    abort(); /* the pass never fuses an empty reduction */
  kiln_gemm_run(&g);
}
