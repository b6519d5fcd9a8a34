/*===- kiln_kernels.c - hand-written CPU kernels lowered code calls -*- C -*-===
 *
 * See include/kiln/cpu/kiln_kernels.h for the contract. The matrix product
 * is blocked the usual way for caches (panels of A and B copied, "packed",
 * into contiguous buffers: KC steps of the reduction by MC rows and NC
 * columns) around a register-blocked micro-kernel that keeps an MR x NR
 * tile of C in vector registers. Convolutions are matrix products whose B
 * operand is read straight from the input image while packing ("implicit
 * im2col"), so no im2col buffer is ever materialized. The AVX-512
 * micro-kernel is chosen at run time; other CPUs get a portable one.
 *
 *===----------------------------------------------------------------------===*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* sched_getaffinity */
#endif
#ifndef KILN_KERNELS_EMBEDDED
#include "kiln/cpu/kiln_kernels.h"
#endif

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define KILN_EXPORT __attribute__((visibility("default")))

/*===------------------------------------------------------------------===*
 * One pool of threads per process
 *===------------------------------------------------------------------===*/

typedef void (*kiln_task_fn)(void *context, int64_t index);

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
static void kiln_parallel_for(int64_t count, kiln_task_fn fn, void *context) {
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

/*===------------------------------------------------------------------===*
 * Matrix product: C += A * B
 *===------------------------------------------------------------------===*/

#ifndef KILN_MR
#define KILN_MR 8
#endif
enum { MR = KILN_MR, NR = 32, KC = 256, MC = 128, NC_MAX = 512 };

/* Where B comes from: a strided matrix, or (implicit im2col) a padded NCHW
 * image whose reduction index k = (channel, ky, kx) and column index
 * j = (y, x) of the output. */
typedef struct {
  const float *base;
  int64_t rs, cs; /* strided matrix */
  int is_image;
  int64_t c_stride, y_stride, x_stride; /* image strides */
  int64_t kh, kw, out_w, sy, sx, dy, dx;
  /* Implicit zero padding: windows may start above/left of the image
   * (pad_top, pad_left) or run past its in_h x in_w end; `inside` when no
   * window does. */
  int64_t pad_top, pad_left, in_h, in_w;
  int inside;
} b_source;

/* What a micro-kernel does with its tile: C = [C +] tile [+ bias], then
 * clamped to [lo, hi] when `clamp`. `load_c` is 0 on the first step of the
 * reduction of an overwriting product; the biases are only given then. */
typedef struct {
  int load_c, clamp;
  const float *row_bias; /* one per row of the tile, or null */
  const float *col_bias; /* one per column of the tile, or null */
  float lo, hi;
} tile_epilogue;

typedef void (*micro_kernel_fn)(const tile_epilogue *, int64_t, const float *,
                                const float *, float *, int64_t, int64_t,
                                int64_t, int64_t);

typedef struct {
  micro_kernel_fn kernel;
  int64_t m, n, k;
  const float *a;
  int64_t a_rs, a_cs;
  b_source b;
  float *c;
  int64_t c_rs, c_cs;
  /* A or B already packed whole (kiln_mk_pack_a_f32 / _b_f32), or null. */
  const float *packed_a, *packed_b;
  /* Fused epilogue: C is overwritten (not accumulated into) when
   * `overwrite`, with the bias per row or per column added, then clamped
   * to [lo, hi] when `clamp`. */
  int overwrite, clamp;
  const float *row_bias, *col_bias;
  float lo, hi;
  int64_t m_chunk, m_tasks, nc, n_blocks;
} gemm_problem;

/* Per-thread packing buffers, grown on demand, 64-byte aligned. */
static __thread float *pack_a_buffer, *pack_b_buffer;
static __thread size_t pack_a_size, pack_b_size;

static float *grow(float **buffer, size_t *size, size_t elements) {
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

/* pack_b for an image (implicit im2col) with implicit zero padding. A run
 * is a set of columns on one output row at consecutive x, whose input
 * elements are sx apart; each run copies the part of its input row inside
 * the image and zero-fills the rest. */
static void pack_b_image(const gemm_problem *g, int64_t p0, int64_t kc,
                         int64_t j0, int64_t nc, float *out) {
  const b_source *b = &g->b;
  int64_t step = b->sx * b->x_stride; /* input distance between columns */
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
    int64_t ch = p0 / (b->kh * b->kw);
    int64_t ky = (p0 / b->kw) % b->kh, kx = p0 % b->kw;
    for (int64_t p = 0; p < kc; ++p) {
      const float *plane = b->base + ch * b->c_stride;
      int64_t oy = ky * b->dy, ox = kx * b->dx;
      if (++kx == b->kw) {
        kx = 0;
        if (++ky == b->kh) {
          ky = 0;
          ++ch;
        }
      }
      float *dst = out + p * NR;
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
      if (e->clamp) {
        /* NaN stays NaN, as arith.maximumf/minimumf keep it. */
        value = value < e->lo ? e->lo : value;
        value = value > e->hi ? e->hi : value;
      }
      *out = value;
    }
}

/* The portable micro-kernel: an MR x NR tile of C += A panel * B panel. */
static void micro_kernel_generic(const tile_epilogue *e, int64_t kc,
                                 const float *restrict a,
                                 const float *restrict b, float *c,
                                 int64_t c_rs, int64_t c_cs, int64_t rows,
                                 int64_t cols) {
  float tile[MR * NR];
  memset(tile, 0, sizeof(tile));
  for (int64_t p = 0; p < kc; ++p) {
    for (int i = 0; i < MR; ++i) {
      float ai = a[p * MR + i];
      for (int j = 0; j < NR; ++j)
        tile[i * NR + j] += ai * b[p * NR + j];
    }
  }
  finish_tile(e, tile, c, c_rs, c_cs, rows, cols);
}

#if defined(__x86_64__)
/* The AVX-512 micro-kernel: MR x 32 of C in 2*MR zmm registers; per step
 * of the reduction, two loads of B and MR broadcasts of A feed 2*MR FMAs. */
__attribute__((target("avx512f,fma"))) static void
micro_kernel_avx512(const tile_epilogue *e, int64_t kc, const float *restrict a,
                    const float *restrict b, float *c, int64_t c_rs,
                    int64_t c_cs, int64_t rows, int64_t cols) {
  __m512 acc[MR][2];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
    acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int64_t p = 0; p < kc; ++p) {
    __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += MR;
    b += NR;
  }
  if (c_cs == 1) {
    __mmask16 m0 =
        cols >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << cols) - 1);
    __mmask16 m1 = cols >= 32   ? (__mmask16)0xFFFF
                   : cols <= 16 ? (__mmask16)0
                                : (__mmask16)((1u << (cols - 16)) - 1);
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
      if (e->clamp) {
        /* max/min return their second operand when either is NaN: NaN
         * stays NaN, as with arith.maximumf/minimumf. */
        v0 = _mm512_min_ps(hi, _mm512_max_ps(lo, v0));
        v1 = _mm512_min_ps(hi, _mm512_max_ps(lo, v1));
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
  float *pa = g->packed_a
                  ? NULL
                  : grow(&pack_a_buffer, &pack_a_size, (size_t)(MC * KC));
  float *pb = g->packed_b ? NULL
                          : grow(&pack_b_buffer, &pack_b_size,
                                 (size_t)(nc_padded * KC));
  if ((!g->packed_a && !pa) || (!g->packed_b && !pb))
    abort(); /* out of memory: nothing sensible to return into */
  for (int64_t p0 = 0; p0 < g->k; p0 += KC) {
    int64_t kc = g->k - p0 < KC ? g->k - p0 : KC;
    const float *b_block;
    if (g->packed_b) {
      b_block = g->packed_b + p0 * n_padded + j0 * kc;
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
        const float *bp = b_block + (jp / NR) * kc * NR;
        for (int64_t ip = 0; ip < mc; ip += MR) {
          int64_t rows = mc - ip < MR ? mc - ip : MR;
          float *c = g->c + (ib + ip) * g->c_rs + (j0 + jp) * g->c_cs;
          tile_epilogue e = {
              !(g->overwrite && p0 == 0),
              g->clamp && p0 + kc >= g->k,
              p0 == 0 && g->row_bias ? g->row_bias + ib + ip : NULL,
              p0 == 0 && g->col_bias ? g->col_bias + j0 + jp : NULL,
              g->lo,
              g->hi};
          kernel(&e, kc, a_block + (ip / MR) * kc * MR, bp, c, g->c_rs, g->c_cs,
                 rows, cols);
        }
      }
    }
  }
}

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Splits C into tasks, enough for every thread: column blocks of at most
 * NC_MAX when there are enough of them, else row chunks as well. */
static void gemm_run(gemm_problem *g) {
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

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_f32(kiln_memref2_f32 *a,
                                               kiln_memref2_f32 *b,
                                               kiln_memref2_f32 *c) {
  gemm_problem g;
  memset(&g, 0, sizeof(g));
  g.m = c->sizes[0];
  g.n = c->sizes[1];
  g.k = a->sizes[1];
  g.a = a->aligned + a->offset;
  g.a_rs = a->strides[0];
  g.a_cs = a->strides[1];
  g.b.base = b->aligned + b->offset;
  g.b.rs = b->strides[0];
  g.b.cs = b->strides[1];
  g.c = c->aligned + c->offset;
  g.c_rs = c->strides[0];
  g.c_cs = c->strides[1];
  gemm_run(&g);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_batch_gemm_f32(kiln_memref3_f32 *a,
                                                     kiln_memref3_f32 *b,
                                                     kiln_memref3_f32 *c) {
  for (int64_t i = 0; i < c->sizes[0]; ++i) {
    gemm_problem g;
    memset(&g, 0, sizeof(g));
    g.m = c->sizes[1];
    g.n = c->sizes[2];
    g.k = a->sizes[2];
    g.a = a->aligned + a->offset + i * a->strides[0];
    g.a_rs = a->strides[1];
    g.a_cs = a->strides[2];
    g.b.base = b->aligned + b->offset + i * b->strides[0];
    g.b.rs = b->strides[1];
    g.b.cs = b->strides[2];
    g.c = c->aligned + c->offset + i * c->strides[0];
    g.c_rs = c->strides[1];
    g.c_cs = c->strides[2];
    gemm_run(&g);
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
  memset(&g, 0, sizeof(g));
  g.m = m;
  g.k = k;
  g.a = a;
  g.a_rs = row_stride;
  g.a_cs = col_stride;
  int64_t m_padded = (m + MR - 1) / MR * MR;
  for (int64_t p0 = 0; p0 < k; p0 += KC)
    pack_a(&g, 0, m, p0, k - p0 < KC ? k - p0 : KC, out + p0 * m_padded);
}

KILN_EXPORT void kiln_mk_pack_b_f32(const float *b, int64_t k, int64_t n,
                                    int64_t row_stride, int64_t col_stride,
                                    float *out) {
  gemm_problem g;
  memset(&g, 0, sizeof(g));
  g.k = k;
  g.n = n;
  g.b.base = b;
  g.b.rs = row_stride;
  g.b.cs = col_stride;
  int64_t n_padded = (n + NR - 1) / NR * NR;
  for (int64_t p0 = 0; p0 < k; p0 += KC)
    pack_b(&g, p0, k - p0 < KC ? k - p0 : KC, 0, n, out + p0 * n_padded);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_pa_f32(kiln_memref1_f32 *packed_a,
                                                  kiln_memref2_f32 *b,
                                                  kiln_memref2_f32 *c) {
  gemm_problem g;
  memset(&g, 0, sizeof(g));
  g.m = c->sizes[0];
  g.n = c->sizes[1];
  g.k = b->sizes[0];
  g.packed_a = packed_a->aligned + packed_a->offset;
  g.b.base = b->aligned + b->offset;
  g.b.rs = b->strides[0];
  g.b.cs = b->strides[1];
  g.c = c->aligned + c->offset;
  g.c_rs = c->strides[0];
  g.c_cs = c->strides[1];
  gemm_run(&g);
}

/* The product of A (strided) and a packed B into C. */
static void setup_gemm_pb(gemm_problem *g, const kiln_memref2_f32 *a,
                          const kiln_memref1_f32 *packed_b,
                          kiln_memref2_f32 *c) {
  memset(g, 0, sizeof(*g));
  g->m = c->sizes[0];
  g->n = c->sizes[1];
  g->k = a->sizes[1];
  g->a = a->aligned + a->offset;
  g->a_rs = a->strides[0];
  g->a_cs = a->strides[1];
  g->packed_b = packed_b->aligned + packed_b->offset;
  g->c = c->aligned + c->offset;
  g->c_rs = c->strides[0];
  g->c_cs = c->strides[1];
}

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_pb_f32(kiln_memref2_f32 *a,
                                                  kiln_memref1_f32 *packed_b,
                                                  kiln_memref2_f32 *c) {
  gemm_problem g;
  setup_gemm_pb(&g, a, packed_b, c);
  gemm_run(&g);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_gemm_pb_fused_f32(
    kiln_memref2_f32 *a, kiln_memref1_f32 *packed_b, kiln_memref1_f32 *bias,
    kiln_memref2_f32 *c, int64_t has_bias, int64_t clamp, float lo, float hi) {
  gemm_problem g;
  setup_gemm_pb(&g, a, packed_b, c);
  g.overwrite = 1;
  g.clamp = (int)clamp;
  g.col_bias = has_bias ? bias->aligned + bias->offset : NULL;
  g.lo = lo;
  g.hi = hi;
  if (g.k == 0)
    abort(); /* the pass never fuses an empty reduction */
  gemm_run(&g);
}

/*===------------------------------------------------------------------===*
 * Convolutions
 *===------------------------------------------------------------------===*/

/* Strides, dilations and the implicit zero padding before the first row
 * and column (padding after the last ones follows from the output size). */
typedef struct {
  int64_t sy, sx, dy, dx, pad_top, pad_left;
} conv_geometry;

/* Direct convolution for outputs whose spatial dimensions are not one
 * contiguous run (views the lowering rarely produces). */
static void conv2d_reference(const kiln_memref4_f32 *in,
                             const kiln_memref4_f32 *w, kiln_memref4_f32 *out,
                             int64_t n, const conv_geometry *geo) {
  const float *ip = in->aligned + in->offset + n * in->strides[0];
  const float *wp = w->aligned + w->offset;
  float *op = out->aligned + out->offset + n * out->strides[0];
  for (int64_t f = 0; f < out->sizes[1]; ++f)
    for (int64_t y = 0; y < out->sizes[2]; ++y)
      for (int64_t x = 0; x < out->sizes[3]; ++x) {
        float sum = 0.0f;
        for (int64_t c = 0; c < w->sizes[1]; ++c)
          for (int64_t ky = 0; ky < w->sizes[2]; ++ky)
            for (int64_t kx = 0; kx < w->sizes[3]; ++kx) {
              int64_t iy = y * geo->sy + ky * geo->dy - geo->pad_top;
              int64_t ix = x * geo->sx + kx * geo->dx - geo->pad_left;
              if (iy < 0 || iy >= in->sizes[2] || ix < 0 || ix >= in->sizes[3])
                continue;
              sum += ip[c * in->strides[1] + iy * in->strides[2] +
                        ix * in->strides[3]] *
                     wp[f * w->strides[0] + c * w->strides[1] +
                        ky * w->strides[2] + kx * w->strides[3]];
            }
        op[f * out->strides[1] + y * out->strides[2] + x * out->strides[3]] +=
            sum;
      }
}

/* The convolution of image n as a GEMM: A = weights [filters x
 * channels*kh*kw] (pre-packed or a dense 4-D memref), B = the image read in
 * place, C = the output [filters x out_h*out_w]. */
static void conv2d_as_gemm(const kiln_memref4_f32 *in,
                           const kiln_memref4_f32 *w, const float *packed_w,
                           kiln_memref4_f32 *out, int64_t n, int64_t kh,
                           int64_t kw, const conv_geometry *geo,
                           const gemm_problem *epilogue) {
  gemm_problem g;
  memset(&g, 0, sizeof(g));
  if (epilogue) {
    g.overwrite = epilogue->overwrite;
    g.clamp = epilogue->clamp;
    g.row_bias = epilogue->row_bias;
    g.lo = epilogue->lo;
    g.hi = epilogue->hi;
  }
  g.m = out->sizes[1];
  g.n = out->sizes[2] * out->sizes[3];
  g.k = in->sizes[1] * kh * kw;
  if (packed_w) {
    g.packed_a = packed_w;
  } else {
    g.a = w->aligned + w->offset;
    g.a_rs = w->strides[0];
    g.a_cs = 1;
  }
  b_source *b = &g.b;
  b->base = in->aligned + in->offset + n * in->strides[0];
  b->is_image = 1;
  b->c_stride = in->strides[1];
  b->y_stride = in->strides[2];
  b->x_stride = in->strides[3];
  b->kh = kh;
  b->kw = kw;
  b->out_w = out->sizes[3];
  b->sy = geo->sy;
  b->sx = geo->sx;
  b->dy = geo->dy;
  b->dx = geo->dx;
  b->pad_top = geo->pad_top;
  b->pad_left = geo->pad_left;
  b->in_h = in->sizes[2];
  b->in_w = in->sizes[3];
  b->inside = geo->pad_top == 0 && geo->pad_left == 0 &&
              (out->sizes[2] - 1) * geo->sy + (kh - 1) * geo->dy < b->in_h &&
              (out->sizes[3] - 1) * geo->sx + (kw - 1) * geo->dx < b->in_w;
  g.c = out->aligned + out->offset + n * out->strides[0];
  g.c_rs = out->strides[1];
  g.c_cs = 1;
  gemm_run(&g);
}

/* True when the output's spatial dimensions form one run per filter. */
static int output_is_dense(const kiln_memref4_f32 *out) {
  return out->strides[3] == 1 && out->strides[2] == out->sizes[3];
}

KILN_EXPORT void
_mlir_ciface_kiln_mk_conv2d_nchw_f32(kiln_memref4_f32 *in, kiln_memref4_f32 *w,
                                     kiln_memref4_f32 *out, int64_t sy,
                                     int64_t sx, int64_t dy, int64_t dx,
                                     int64_t pad_top, int64_t pad_left) {
  conv_geometry geo = {sy, sx, dy, dx, pad_top, pad_left};
  int64_t kh = w->sizes[2], kw = w->sizes[3];
  /* The weights as a [filters, channels*kh*kw] matrix need them row-major
   * within a filter. */
  int weights_dense =
      w->strides[3] == 1 && w->strides[2] == kw && w->strides[1] == kh * kw;
  for (int64_t n = 0; n < out->sizes[0]; ++n) {
    if (weights_dense && output_is_dense(out))
      conv2d_as_gemm(in, w, NULL, out, n, kh, kw, &geo, NULL);
    else
      conv2d_reference(in, w, out, n, &geo);
  }
}

KILN_EXPORT void _mlir_ciface_kiln_mk_conv2d_nchw_pa_f32(
    kiln_memref4_f32 *in, kiln_memref1_f32 *packed_w, kiln_memref4_f32 *out,
    int64_t kh, int64_t kw, int64_t sy, int64_t sx, int64_t dy, int64_t dx,
    int64_t pad_top, int64_t pad_left) {
  conv_geometry geo = {sy, sx, dy, dx, pad_top, pad_left};
  const float *packed = packed_w->aligned + packed_w->offset;
  if (!output_is_dense(out)) {
    /* Unpack into a dense weight tensor for the direct loops. */
    int64_t filters = out->sizes[1], channels = in->sizes[1];
    int64_t k = channels * kh * kw, m_padded = (filters + MR - 1) / MR * MR;
    float *dense = (float *)malloc((size_t)(filters * k) * sizeof(float));
    if (!dense)
      abort();
    for (int64_t p0 = 0; p0 < k; p0 += KC) {
      int64_t kc = k - p0 < KC ? k - p0 : KC;
      for (int64_t f = 0; f < filters; ++f)
        for (int64_t p = 0; p < kc; ++p)
          dense[f * k + p0 + p] =
              packed[p0 * m_padded + (f / MR) * MR * kc + p * MR + f % MR];
    }
    kiln_memref4_f32 w = {
        dense, dense, 0, {filters, channels, kh, kw}, {k, kh * kw, kw, 1}};
    for (int64_t n = 0; n < out->sizes[0]; ++n)
      conv2d_reference(in, &w, out, n, &geo);
    free(dense);
    return;
  }
  for (int64_t n = 0; n < out->sizes[0]; ++n)
    conv2d_as_gemm(in, NULL, packed, out, n, kh, kw, &geo, NULL);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_conv2d_nchw_pa_fused_f32(
    kiln_memref4_f32 *in, kiln_memref1_f32 *packed_w, kiln_memref1_f32 *bias,
    kiln_memref4_f32 *out, int64_t kh, int64_t kw, int64_t sy, int64_t sx,
    int64_t dy, int64_t dx, int64_t pad_top, int64_t pad_left, int64_t has_bias,
    int64_t clamp, float lo, float hi) {
  conv_geometry geo = {sy, sx, dy, dx, pad_top, pad_left};
  gemm_problem epilogue;
  memset(&epilogue, 0, sizeof(epilogue));
  epilogue.overwrite = 1;
  epilogue.clamp = (int)clamp;
  epilogue.row_bias = has_bias ? bias->aligned + bias->offset : NULL;
  epilogue.lo = lo;
  epilogue.hi = hi;
  const float *packed = packed_w->aligned + packed_w->offset;
  /* The pass only fuses into dense outputs (a fresh buffer). */
  if (!output_is_dense(out) || in->sizes[1] * kh * kw == 0)
    abort();
  for (int64_t n = 0; n < out->sizes[0]; ++n)
    conv2d_as_gemm(in, NULL, packed, out, n, kh, kw, &geo, &epilogue);
}

typedef struct {
  const kiln_memref4_f32 *in;
  const kiln_memref3_f32 *w;
  kiln_memref4_f32 *out;
  conv_geometry geo;
  /* Fused epilogue: each output plane starts as its bias (or 0) instead of
   * accumulating, and is clamped to [lo, hi] while still in cache. */
  int overwrite, clamp;
  const float *bias;
  float lo, hi;
} dwconv_problem;

#if defined(__x86_64__)
/* Depthwise planes on AVX-512 for unit dilation and stride 1 or 2: sixteen
 * outputs per step accumulate every tap in one register (stride 2 picks the
 * even elements of two loads with one permute), one load and store of the
 * output per step. Returns 0 when the shape is not one it handles. */
__attribute__((target("avx512f"))) static int
dwconv_plane_avx512(const float *ip, int64_t iys, const float *wp, int64_t wys,
                    int64_t wxs, int64_t kh, int64_t kw, float *op, int64_t oys,
                    int64_t out_h, int64_t out_w, int64_t sy, int64_t sx,
                    int64_t dy) {
  if ((sx != 1 && sx != 2) || kh * kw > 49)
    return 0;
  float weights[49];
  for (int64_t ky = 0; ky < kh; ++ky)
    for (int64_t kx = 0; kx < kw; ++kx)
      weights[ky * kw + kx] = wp[ky * wys + kx * wxs];
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12,
                                        10, 8, 6, 4, 2, 0);
  for (int64_t y = 0; y < out_h; ++y) {
    float *orow = op + y * oys;
    const float *irow = ip + y * sy * iys;
    for (int64_t x = 0; x < out_w; x += 16) {
      int64_t count = out_w - x < 16 ? out_w - x : 16;
      __mmask16 mask = (__mmask16)((1u << count) - 1);
      __m512 acc = _mm512_maskz_loadu_ps(mask, orow + x);
      for (int64_t ky = 0; ky < kh; ++ky) {
        const float *row = irow + ky * dy * iys + x * sx;
        for (int64_t kx = 0; kx < kw; ++kx) {
          __m512 in;
          if (sx == 1) {
            in = _mm512_maskz_loadu_ps(mask, row + kx);
          } else {
            /* Only the even elements 2t, t < count, are read: never an
             * element past the window's last. */
            int64_t low_bits = 2 * count - 1 < 16 ? 2 * count - 1 : 16;
            int64_t high_bits = count > 8 ? 2 * (count - 8) - 1 : 0;
            __mmask16 low = (__mmask16)(((1u << low_bits) - 1) & 0x5555u);
            __mmask16 high = (__mmask16)(((1u << high_bits) - 1) & 0x5555u);
            __m512 a = _mm512_maskz_loadu_ps(low, row + kx);
            __m512 b = _mm512_maskz_loadu_ps(high, row + kx + 16);
            in = _mm512_permutex2var_ps(a, even, b);
          }
          acc = _mm512_fmadd_ps(_mm512_set1_ps(weights[ky * kw + kx]), in, acc);
        }
      }
      _mm512_mask_storeu_ps(orow + x, mask, acc);
    }
  }
  return 1;
}
#endif

/* Per-thread scratch for a zero-padded copy of one input plane. */
static __thread float *plane_buffer;
static __thread size_t plane_size;

/* One (image, channel) plane of a depthwise convolution. With padding, the
 * plane is first copied with its zero border into per-thread scratch (hot
 * in cache, unlike a padded copy of the whole tensor); then every window
 * lies inside it. 3x3 keeps all nine taps in registers; other sizes take
 * one pass per tap, left to the compiler's vectorizer. */
__attribute__((target_clones("avx512f", "default"))) static void
dwconv_plane_compute(void *context, int64_t task) {
  const dwconv_problem *d = (const dwconv_problem *)context;
  const kiln_memref4_f32 *in = d->in;
  const kiln_memref3_f32 *w = d->w;
  kiln_memref4_f32 *out = d->out;
  const conv_geometry *geo = &d->geo;
  int64_t channels = out->sizes[1];
  int64_t n = task / channels, c = task % channels;
  int64_t kh = w->sizes[1], kw = w->sizes[2];
  int64_t out_h = out->sizes[2], out_w = out->sizes[3];
  int64_t in_h = in->sizes[2], in_w = in->sizes[3];
  int64_t iys = in->strides[2], ixs = in->strides[3];
  const float *ip =
      in->aligned + in->offset + n * in->strides[0] + c * in->strides[1];
  const float *wp = w->aligned + w->offset + c * w->strides[0];
  float *op =
      out->aligned + out->offset + n * out->strides[0] + c * out->strides[1];
  int64_t oys = out->strides[2], oxs = out->strides[3];
  int64_t sy = geo->sy, sx = geo->sx, dy = geo->dy, dx = geo->dx;

  /* The extent of input the windows span, padding included. */
  int64_t span_h = (out_h - 1) * sy + (kh - 1) * dy + 1;
  int64_t span_w = (out_w - 1) * sx + (kw - 1) * dx + 1;
  if (geo->pad_top > 0 || geo->pad_left > 0 || span_h - geo->pad_top > in_h ||
      span_w - geo->pad_left > in_w) {
    float *scratch =
        grow(&plane_buffer, &plane_size, (size_t)(span_h * span_w));
    if (!scratch)
      abort();
    for (int64_t r = 0; r < span_h; ++r) {
      float *dst = scratch + r * span_w;
      int64_t iy = r - geo->pad_top;
      int64_t lo = geo->pad_left < span_w ? geo->pad_left : span_w;
      int64_t hi =
          in_w + geo->pad_left < span_w ? in_w + geo->pad_left : span_w;
      if (iy < 0 || iy >= in_h || hi <= lo) {
        memset(dst, 0, (size_t)span_w * sizeof(float));
        continue;
      }
      memset(dst, 0, (size_t)lo * sizeof(float));
      const float *src = ip + iy * iys;
      for (int64_t x = lo; x < hi; ++x)
        dst[x] = src[(x - geo->pad_left) * ixs];
      memset(dst + hi, 0, (size_t)(span_w - hi) * sizeof(float));
    }
    ip = scratch;
    iys = span_w;
    ixs = 1;
  }

  if (kh == 3 && kw == 3 && dx == 1 && oxs == 1 && ixs == 1 &&
      (sx == 1 || sx == 2)) {
    float w0[3], w1[3], w2[3];
    for (int kx = 0; kx < 3; ++kx) {
      w0[kx] = wp[0 * w->strides[1] + kx * w->strides[2]];
      w1[kx] = wp[1 * w->strides[1] + kx * w->strides[2]];
      w2[kx] = wp[2 * w->strides[1] + kx * w->strides[2]];
    }
    for (int64_t y = 0; y < out_h; ++y) {
      float *restrict orow = op + y * oys;
      const float *restrict r0 = ip + y * sy * iys;
      const float *restrict r1 = r0 + dy * iys;
      const float *restrict r2 = r1 + dy * iys;
      if (sx == 1) {
        for (int64_t x = 0; x < out_w; ++x)
          orow[x] += w0[0] * r0[x] + w0[1] * r0[x + 1] + w0[2] * r0[x + 2] +
                     w1[0] * r1[x] + w1[1] * r1[x + 1] + w1[2] * r1[x + 2] +
                     w2[0] * r2[x] + w2[1] * r2[x + 1] + w2[2] * r2[x + 2];
      } else {
        for (int64_t x = 0; x < out_w; ++x)
          orow[x] += w0[0] * r0[2 * x] + w0[1] * r0[2 * x + 1] +
                     w0[2] * r0[2 * x + 2] + w1[0] * r1[2 * x] +
                     w1[1] * r1[2 * x + 1] + w1[2] * r1[2 * x + 2] +
                     w2[0] * r2[2 * x] + w2[1] * r2[2 * x + 1] +
                     w2[2] * r2[2 * x + 2];
      }
    }
    return;
  }
  /* Other window sizes: all taps in one register per 16 outputs. */
#if defined(__x86_64__)
  if (dx == 1 && oxs == 1 && ixs == 1 && __builtin_cpu_supports("avx512f") &&
      dwconv_plane_avx512(ip, iys, wp, w->strides[1], w->strides[2], kh, kw, op,
                          oys, out_h, out_w, sy, sx, dy))
    return;
#endif
  for (int64_t y = 0; y < out_h; ++y) {
    float *restrict orow = op + y * oys;
    for (int64_t ky = 0; ky < kh; ++ky) {
      const float *irow = ip + (y * sy + ky * dy) * iys;
      for (int64_t kx = 0; kx < kw; ++kx) {
        float weight = wp[ky * w->strides[1] + kx * w->strides[2]];
        const float *restrict src = irow + kx * dx * ixs;
        if (oxs == 1 && ixs == 1 && sx == 1) {
          for (int64_t x = 0; x < out_w; ++x)
            orow[x] += weight * src[x];
        } else if (oxs == 1 && ixs == 1 && sx == 2) {
          for (int64_t x = 0; x < out_w; ++x)
            orow[x] += weight * src[2 * x];
        } else {
          for (int64_t x = 0; x < out_w; ++x)
            orow[x * oxs] += weight * src[x * sx * ixs];
        }
      }
    }
  }
}

/* One plane with its epilogue around the accumulation. */
static void dwconv_plane(void *context, int64_t task) {
  const dwconv_problem *d = (const dwconv_problem *)context;
  kiln_memref4_f32 *out = d->out;
  int64_t channels = out->sizes[1];
  int64_t n = task / channels, c = task % channels;
  float *op =
      out->aligned + out->offset + n * out->strides[0] + c * out->strides[1];
  int64_t out_h = out->sizes[2], out_w = out->sizes[3];
  int64_t oys = out->strides[2], oxs = out->strides[3];
  if (d->overwrite) {
    float start = d->bias ? d->bias[c] : 0.0f;
    for (int64_t y = 0; y < out_h; ++y)
      for (int64_t x = 0; x < out_w; ++x)
        op[y * oys + x * oxs] = start;
  }
  dwconv_plane_compute(context, task);
  if (d->clamp)
    for (int64_t y = 0; y < out_h; ++y)
      for (int64_t x = 0; x < out_w; ++x) {
        float *value = op + y * oys + x * oxs;
        /* NaN stays NaN, as arith.maximumf/minimumf keep it. */
        *value = *value < d->lo ? d->lo : *value;
        *value = *value > d->hi ? d->hi : *value;
      }
}

KILN_EXPORT void _mlir_ciface_kiln_mk_dwconv2d_nchw_f32(
    kiln_memref4_f32 *in, kiln_memref3_f32 *w, kiln_memref4_f32 *out,
    int64_t sy, int64_t sx, int64_t dy, int64_t dx, int64_t pad_top,
    int64_t pad_left) {
  dwconv_problem d;
  memset(&d, 0, sizeof(d));
  d.in = in;
  d.w = w;
  d.out = out;
  d.geo = (conv_geometry){sy, sx, dy, dx, pad_top, pad_left};
  kiln_parallel_for(out->sizes[0] * out->sizes[1], dwconv_plane, &d);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_dwconv2d_nchw_fused_f32(
    kiln_memref4_f32 *in, kiln_memref3_f32 *w, kiln_memref1_f32 *bias,
    kiln_memref4_f32 *out, int64_t sy, int64_t sx, int64_t dy, int64_t dx,
    int64_t pad_top, int64_t pad_left, int64_t has_bias, int64_t clamp,
    float lo, float hi) {
  dwconv_problem d;
  memset(&d, 0, sizeof(d));
  d.in = in;
  d.w = w;
  d.out = out;
  d.geo = (conv_geometry){sy, sx, dy, dx, pad_top, pad_left};
  d.overwrite = 1;
  d.clamp = (int)clamp;
  d.bias = has_bias ? bias->aligned + bias->offset : NULL;
  d.lo = lo;
  d.hi = hi;
  kiln_parallel_for(out->sizes[0] * out->sizes[1], dwconv_plane, &d);
}
