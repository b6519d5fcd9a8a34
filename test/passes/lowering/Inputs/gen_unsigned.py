"""Execution cases for nn ops on unsigned integer tensors (`ui8`..`ui64`),
with NumPy as reference. Each case also computes the signed result of the
same bits (the op on the signless type, or NumPy on the signed view) and the
generator asserts that it differs, so a lowering that ignored signedness
would fail.

The case functions take and return signless tensors (what the test's @main
can hold) and reinterpret them with nn.cast between `iN` and `uiN`, which
keeps the bits.
"""

import os
import sys
from typing import List

import numpy as np

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import (ExecModule, element_type, parse_args,  # noqa: E402
                     tensor_type)

_SIGNED = {np.dtype(np.uint8): np.int8, np.dtype(np.uint16): np.int16,
           np.dtype(np.uint32): np.int32, np.dtype(np.uint64): np.int64}


def utype(array: np.ndarray) -> str:
    """Returns the unsigned tensor type of an unsigned NumPy array."""
    signless = tensor_type(array)  # for example tensor<3x4xi8>
    element = element_type(array)
    return signless[:-len(element) - 1] + "u" + element + ">"


def signed(array: np.ndarray) -> np.ndarray:
    """Returns the signed view of an unsigned array (same bits)."""
    return array.view(_SIGNED[array.dtype])


def to_unsigned(names: List[str], arrays: List[np.ndarray]) -> str:
    """Returns nn.cast lines turning %argI into %uI of the unsigned type."""
    return "\n".join(
        f"%u{i} = nn.cast %{name} : {tensor_type(a)} -> {utype(a)}"
        for i, (name, a) in enumerate(zip(names, arrays)))


def differs(unsigned: np.ndarray, signed_result: np.ndarray) -> None:
    """Asserts that the unsigned result is not what signed arithmetic on the
    same bits gives."""
    as_signed = unsigned.view(signed_result.dtype) \
        if unsigned.dtype.kind == "u" else unsigned
    assert not np.array_equal(as_signed, signed_result), "no difference"


def binary_case(m: ExecModule, name: str, op: str, a: np.ndarray,
                b: np.ndarray, unsigned: np.ndarray,
                signed_result: np.ndarray, attrs: str = "") -> None:
    """Adds a case computing `op` on the unsigned reinterpretation of a and
    b (result 0) and on the signless bits directly (result 1)."""
    differs(unsigned, signed_result)
    out = np.broadcast_shapes(a.shape, b.shape)
    ures = unsigned.dtype
    signed_type = tensor_type(signed_result)
    if unsigned.dtype.kind == "u":
        uout = utype(np.zeros(out, ures))
        body = (f"{to_unsigned(['arg0', 'arg1'], [a, b])}\n"
                f"%v = nn.{op} %u0, %u1 {attrs} : ({utype(a)}, {utype(b)}) "
                f"-> {uout}\n"
                f"%r0 = nn.cast %v : {uout} -> {{r0}}\n")
    else:  # an i1 mask
        body = (f"{to_unsigned(['arg0', 'arg1'], [a, b])}\n"
                f"%r0 = nn.{op} %u0, %u1 {attrs} : ({utype(a)}, {utype(b)}) "
                f"-> {{r0}}\n")
    body += (f"%r1 = nn.{op} %arg0, %arg1 {attrs} : ({{t0}}, {{t1}}) -> "
             f"{signed_type}")
    m.case(name, [a, b], body, [unsigned, signed_result])


def trunc_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer division truncating toward zero, as nn.div on integers."""
    q = np.abs(a.astype(np.int64)) // np.abs(b.astype(np.int64))
    return (np.sign(a.astype(np.int64)) * np.sign(b.astype(np.int64)) * q) \
        .astype(a.dtype)


def add_arithmetic(m: ExecModule, rng: np.random.Generator) -> None:
    """div, mod (both fmod values), max, min with broadcasting."""
    a = rng.integers(0, 256, size=(3, 4)).astype(np.uint8)
    b = rng.integers(1, 256, size=(4,)).astype(np.uint8)
    a[0, :] = [200, 255, 128, 7]
    b[:] = [3, 16, 254, 130]
    binary_case(m, "div_ui8", "div", a, b, a // b,
                trunc_div(signed(a), signed(b)))
    # A zero divisor gives 0 (divui by 0 is undefined; NumPy gives 0).
    z = np.array([9, 250, 0, 17], np.uint8)
    zd = np.array([0, 7, 0, 255], np.uint8)
    uz = np.where(zd == 0, 0, z // np.where(zd == 0, 1, zd)).astype(np.uint8)
    m.case("div_ui8_by_zero", [z, zd],
           f"{to_unsigned(['arg0', 'arg1'], [z, zd])}\n"
           f"%v = nn.div %u0, %u1 : ({utype(z)}, {utype(zd)}) -> {utype(z)}\n"
           f"%r0 = nn.cast %v : {utype(z)} -> {{r0}}", [uz])

    x = rng.integers(0, 65536, size=(2, 5)).astype(np.uint16)
    y = rng.integers(1, 65536, size=(2, 5)).astype(np.uint16)
    x[0, :] = [65535, 40000, 5, 32768, 1000]
    y[0, :] = [7, 65000, 3, 3, 0]
    umod = np.where(y == 0, 0, x % np.where(y == 0, 1, y)).astype(np.uint16)
    sx, sy = signed(x), signed(y)
    safe = np.where(sy == 0, 1, sy)
    smod = np.where(sy == 0, 0, np.mod(sx, safe)).astype(np.int16)
    sfmod = np.where(sy == 0, 0, np.fmod(sx, safe)).astype(np.int16)
    binary_case(m, "mod_ui16", "mod", x, y, umod, smod)
    binary_case(m, "fmod_ui16", "mod", x, y, umod, sfmod,
                attrs="{fmod = true}")

    p = rng.integers(0, 2**32, size=(3, 1), dtype=np.uint64).astype(np.uint32)
    q = rng.integers(0, 2**32, size=(4,), dtype=np.uint64).astype(np.uint32)
    p[:, 0] = [4000000000, 5, 2147483648]
    q[:2] = [1, 3000000000]
    binary_case(m, "max_ui32", "max", p, q, np.maximum(p, q),
                np.maximum(signed(p), signed(q)))
    binary_case(m, "min_ui32", "min", p, q, np.minimum(p, q),
                np.minimum(signed(p), signed(q)))


def add_comparisons(m: ExecModule, rng: np.random.Generator) -> None:
    """Comparisons of ui64 values on both sides of 2^63, and of ui8."""
    a = np.array([2**64 - 1, 2**63, 5, 2**63 - 1, 0], np.uint64)
    b = np.array([1, 2**63 - 1, 5, 2**63, 2**64 - 1], np.uint64)
    for op, fn in [("less", np.less), ("less_equal", np.less_equal),
                   ("greater", np.greater),
                   ("greater_equal", np.greater_equal)]:
        binary_case(m, f"{op}_ui64", op, a, b, fn(a, b),
                    fn(signed(a), signed(b)))
    c = rng.integers(0, 256, size=(2, 3)).astype(np.uint8)
    d = np.array([127, 128, 255], np.uint8)
    c[0, :] = [200, 1, 128]
    binary_case(m, "greater_ui8", "greater", c, d, c > d,
                signed(c) > signed(d))


def add_shifts(m: ExecModule, rng: np.random.Generator) -> None:
    """Logical shifts of ui8 and ui64, by amounts up to and past the bit
    width (which give 0, as in NumPy)."""
    for dtype, width in [(np.uint8, 8), (np.uint64, 64)]:
        x = rng.integers(0, np.iinfo(dtype).max, size=(2, 5),
                         dtype=np.uint64).astype(dtype)
        x[0, 0] = np.iinfo(dtype).max
        n = np.array([0, 1, width - 1, width, width + 3], dtype)
        for direction, fn in [("left", np.left_shift),
                              ("right", np.right_shift)]:
            # NumPy shifts by the bit width or more give 0, as nn.bit_shift.
            expected = fn(x, n)
            assert expected.dtype == x.dtype
            if direction == "right":
                # An arithmetic shift of the signed view fills with ones.
                arithmetic = np.right_shift(signed(x), np.minimum(
                    n, width - 1).astype(signed(x).dtype))
                differs(expected, arithmetic)
            name = f"shift_{direction}_{np.dtype(dtype).name}"
            ux = utype(x)
            m.case(name, [x, n],
                   f"{to_unsigned(['arg0', 'arg1'], [x, n])}\n"
                   f"%v = nn.bit_shift %u0, %u1 {{direction = "
                   f"#nn.shift_direction<{direction}>}} : ({ux}, "
                   f"{utype(n)}) -> {ux}\n"
                   f"%r0 = nn.cast %v : {ux} -> {{r0}}", [expected])


def add_casts(m: ExecModule, rng: np.random.Generator) -> None:
    """Casts from unsigned types zero-extend and use uitofp; casts to them
    truncate floats toward zero and wrap integers."""
    a = np.array([[0, 1, 127, 128], [200, 255, 9, 64]], np.uint8)
    ua = utype(a)
    cases = [("cast_ui8_f32", "f32", a.astype(np.float32),
              signed(a).astype(np.float32)),
             ("cast_ui8_i32", "i32", a.astype(np.int32),
              signed(a).astype(np.int32)),
             ("cast_ui8_f64", "f64", a.astype(np.float64),
              signed(a).astype(np.float64))]
    for name, target, expected, signed_result in cases:
        differs(expected, signed_result)
        m.case(name, [a],
               f"{to_unsigned(['arg0'], [a])}\n"
               f"%r0 = nn.cast %u0 : {ua} -> {{r0}}\n"
               f"%r1 = nn.cast %arg0 : {{t0}} -> {{r1}}",
               [expected, signed_result])
    # ui8 -> ui16 zero-extends; ui32 -> i64 as well.
    m.case("cast_ui8_ui16", [a],
           f"{to_unsigned(['arg0'], [a])}\n"
           f"%v = nn.cast %u0 : {ua} -> {utype(a.astype(np.uint16))}\n"
           f"%r0 = nn.cast %v : {utype(a.astype(np.uint16))} -> {{r0}}",
           [a.astype(np.uint16)])
    w = np.array([4000000000, 1, 2147483648], np.uint32)
    m.case("cast_ui32_i64", [w],
           f"{to_unsigned(['arg0'], [w])}\n"
           f"%r0 = nn.cast %u0 : {utype(w)} -> {{r0}}", [w.astype(np.int64)])
    big = np.array([2**64 - 2048, 2**63, 3], np.uint64)
    m.case("cast_ui64_f64", [big],
           f"{to_unsigned(['arg0'], [big])}\n"
           f"%r0 = nn.cast %u0 : {utype(big)} -> {{r0}}",
           [big.astype(np.float64)])
    # A signed i8 -1 becomes 65535 in ui16 (sign-extension, then the bits).
    s8 = np.array([-1, 5, -128], np.int8)
    u16 = np.zeros(3, np.uint16)
    m.case("cast_i8_ui16", [s8],
           f"%v = nn.cast %arg0 : {{t0}} -> {utype(u16)}\n"
           f"%r0 = nn.cast %v : {utype(u16)} -> {{r0}}",
           [s8.astype(np.uint16)])
    f = np.array([0.0, 1.9, 127.5, 200.7, 255.0], np.float32)
    m.case("cast_f32_ui8", [f],
           f"%v = nn.cast %arg0 : {{t0}} -> {utype(f.astype(np.uint8))}\n"
           f"%r0 = nn.cast %v : {utype(f.astype(np.uint8))} -> {{r0}}",
           [f.astype(np.uint8)])
    g = np.array([0.0, 3.0e9, 4294967295.0, 1.5], np.float64)
    m.case("cast_f64_ui32", [g],
           f"%v = nn.cast %arg0 : {{t0}} -> {utype(g.astype(np.uint32))}\n"
           f"%r0 = nn.cast %v : {utype(g.astype(np.uint32))} -> {{r0}}",
           [g.astype(np.uint32)])


def add_unary_and_reductions(m: ExecModule,
                             rng: np.random.Generator) -> None:
    """clip, relu, abs, sign, reduce_max/min, argmax and a ui8 constant."""
    x = rng.integers(0, 256, size=(3, 4)).astype(np.uint8)
    x[0, :] = [250, 5, 128, 100]
    ux = utype(x)
    clipped = np.clip(x, 10, 200)
    differs(clipped, np.clip(signed(x), 10, 200))
    m.case("clip_ui8", [x],
           f"{to_unsigned(['arg0'], [x])}\n"
           f"%v = nn.clip %u0 {{min = 10.0 : f64, max = 200.0 : f64}} : {ux}\n"
           f"%r0 = nn.cast %v : {ux} -> {{r0}}", [clipped])
    for op, expected in [("relu", x), ("abs", x),
                         ("sign", (x != 0).astype(np.uint8))]:
        m.case(f"{op}_ui8", [x],
               f"{to_unsigned(['arg0'], [x])}\n"
               f"%v = nn.{op} %u0 : {ux}\n"
               f"%r0 = nn.cast %v : {ux} -> {{r0}}", [expected])
    rmax = x.max(axis=1)
    differs(rmax, signed(x).max(axis=1))
    rmin = x.min(axis=0)
    differs(rmin, signed(x).min(axis=0))
    rtype = utype(rmax)
    ctype = utype(rmin)
    m.case("reduce_ui8", [x],
           f"{to_unsigned(['arg0'], [x])}\n"
           f"%a = nn.reduce_max %u0 {{axes = array<i64: 1>, keepdims = false}}"
           f" : ({ux}) -> {rtype}\n"
           f"%r0 = nn.cast %a : {rtype} -> {{r0}}\n"
           f"%b = nn.reduce_min %u0 {{axes = array<i64: 0>, keepdims = false}}"
           f" : ({ux}) -> {ctype}\n"
           f"%r1 = nn.cast %b : {ctype} -> {{r1}}", [rmax, rmin])
    v = np.array([[3, 40000, 7], [65535, 2, 32768]], np.uint16)
    amax, amin = np.argmax(v, axis=1), np.argmin(v, axis=1)
    differs(amax, np.argmax(signed(v), axis=1))
    m.case("argmax_ui16", [v],
           f"{to_unsigned(['arg0'], [v])}\n"
           f"%r0 = nn.argmax %u0 {{axis = 1 : i64, keepdims = false}} : "
           f"({utype(v)}) -> {{r0}}\n"
           f"%r1 = nn.argmin %u0 {{axis = 1 : i64, keepdims = false}} : "
           f"({utype(v)}) -> {{r1}}", [amax, amin])
    # An unsigned dense constant keeps its bits; 255 + 1 wraps to 0.
    k = np.array([1, 255], np.uint8)
    m.case("constant_add_ui8", [k],
           f"{to_unsigned(['arg0'], [k])}\n"
           f"%c = nn.constant dense<[255, 1]> : {utype(k)}\n"
           f"%v = nn.add %u0, %c : ({utype(k)}, {utype(k)}) -> {utype(k)}\n"
           f"%r0 = nn.cast %v : {utype(k)} -> {{r0}}",
           [(k + np.array([255, 1], np.uint8)).astype(np.uint8)])


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(2024)
    m = ExecModule()
    add_arithmetic(m, rng)
    add_comparisons(m, rng)
    add_shifts(m, rng)
    add_casts(m, rng)
    add_unary_and_reductions(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
