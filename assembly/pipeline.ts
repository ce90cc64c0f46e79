/**
 * PDQ's front half (luma, two rounds of the Jarosz box filter, 64x64 decimation) as a row stream.
 *
 * The reference filters whole float planes: rows, then columns with a row stride, twice. Here rows arrive one at
 * a time and flow through four stages that keep only a window of rows, so memory is O(width x window) instead of
 * two planes of the image, and every read is sequential:
 *   A. luma + row box 1   (GROUP rows at once: lanes are rows, so each running sum is one f32x4 chain)
 *   B. column box 1        (lanes are columns; a running sum per column, fed row by row)
 *   C. row box 2           (like A; only the 64 decimated columns are divided and kept)
 *   D. column box 2        (on those 64 columns; only the 64 decimated rows are divided and kept)
 * Each running sum sees exactly the float32 additions, subtractions and divisions of the reference's
 * box1DFloat, in the same order, so the result is bit-identical (pdq-notes.md sections 2-3 and 13).
 */
import { allocate, resetArena } from "./arena";

/** Rows filtered together in stages A and C: two f32x4 chains of four rows hide the running sum's latency. */
const GROUP: i32 = 8;
const REFERENCE_CLI_SIDE: i32 = 512;
export const MIN_HASHABLE_SIDE: i32 = 5;

const LUMA_R: f32 = 0.299;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;

/** The 64x64 pre-DCT buffer. */
export const BUFFER64: usize = memory.data(64 * 64 * 4, 16);
/** i8x16.swizzle masks picking channel 0, 1, 2 of four pixels into the low byte of each i32 lane. */
const MASKS: usize = memory.data(3 * 16, 16);
const SAMPLE_ROWS: usize = memory.data(64 * 4, 16);
const SAMPLE_COLUMNS: usize = memory.data(64 * 4, 16);
const ROW_OUT: usize = memory.data(64 * 4, 16);

// Geometry of the image as the filter sees it (after the optional 512x512 pre-resize).
let sourceWidth: i32 = 0;
let sourceHeight: i32 = 0;
let channels: i32 = 0;
let width: i32 = 0;
let height: i32 = 0;
let resized: bool = false;
let unfiltered: bool = false;
let paddedWidth: i32 = 0;
let rowWindow: i32 = 0;
let rowHalf: i32 = 0;
let columnWindow: i32 = 0;
let columnHalf: i32 = 0;
let ringRows: i32 = 0;

// Buffers, carved from the arena per image.
let staging: usize = 0;
let columnMap: usize = 0;
let lumaRows: usize = 0;
let interleaved: usize = 0;
let runningSums: usize = 0;
let ring1: usize = 0;
let sums1: usize = 0;
/** Where column box 1 writes the outputs of its first rows, which the reference never emits. */
let discard: usize = 0;
/** Column box 1's output rows: two groups' worth, so a fused group can write 8 rows past a partly filled one. */
let columnRows: usize = 0;
/** A row of zeros: subtracting it is exact (x - 0 == x), so growing-window rows can share the sliding loop. */
let zeroRow: usize = 0;
let ring2: usize = 0;
let sums2: usize = 0;
/** Per column: the row box's divisor (how many samples its window holds there), as float32. */
let rowDivisors: usize = 0;

// Progress through the stream.
let virtualRow: i32 = 0;
let lumaCount: i32 = 0;
let pass1Rows: i32 = 0;
let columnCount: i32 = 0;
let columnBase: i32 = 0;
let pass2Rows: i32 = 0;
let nextSample: i32 = 0;

@inline function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

@inline function vecAt(base: usize, index: i32): usize {
  return base + (<usize>index << 4);
}

/** ceil(side / 128): the reference's window for a side when the target is 64. */
function jaroszWindow(side: i32): i32 {
  return (side + 127) / 128;
}

/** How many samples the box of output `k` averages: the running sum's divisor (shrinking at the edges). */
@inline function boxCount(k: i32, length: i32, window: i32, half: i32): i32 {
  const first = max<i32>(0, k - (window - half));
  const last = min<i32>(length - 1, k + half - 1);
  return max<i32>(1, last - first + 1);
}

@inline function sourceRowOf(row: i32): i32 {
  return resized ? <i32>((<i64>row * sourceHeight) >> 9) : row;
}

/** Prepares the stream for an image of the given size; `resize512` asks for the reference CLI's pre-resize. */
export function beginImage(imageWidth: i32, imageHeight: i32, imageChannels: i32, resize512: bool): void {
  resetArena();
  sourceWidth = imageWidth;
  sourceHeight = imageHeight;
  channels = imageChannels;
  resized = resize512 && (imageWidth > REFERENCE_CLI_SIDE || imageHeight > REFERENCE_CLI_SIDE);
  width = resized ? REFERENCE_CLI_SIDE : imageWidth;
  height = resized ? REFERENCE_CLI_SIDE : imageHeight;
  virtualRow = 0;
  lumaCount = 0;
  pass1Rows = 0;
  columnCount = 0;
  columnBase = 0;
  pass2Rows = 0;
  nextSample = 0;
  // Rows are read with 16-byte vector loads; the padding keeps the last one inside the buffer.
  staging = allocate(<usize>sourceWidth * channels + 16);
  if (!isHashable()) return;

  unfiltered = width == 64 && height == 64;
  paddedWidth = (width + 3) & ~3;
  rowWindow = jaroszWindow(width);
  rowHalf = (rowWindow + 2) / 2;
  columnWindow = jaroszWindow(height);
  columnHalf = (columnWindow + 2) / 2;
  ringRows = columnWindow + GROUP;

  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < 4; p++) {
      const lane = MASKS + c * 16 + p * 4;
      store<u8>(lane, <u8>(p * channels + (channels <= 2 ? 0 : c)));
      store<u8>(lane + 1, 0x80);
      store<u8>(lane + 2, 0x80);
      store<u8>(lane + 3, 0x80);
    }
  }
  for (let i = 0; i < 64; i++) {
    store<i32>(SAMPLE_ROWS + (<usize>i << 2), <i32>(((<f64>i + 0.5) * <f64>height) / 64.0));
    store<i32>(SAMPLE_COLUMNS + (<usize>i << 2), <i32>(((<f64>i + 0.5) * <f64>width) / 64.0));
  }
  if (resized) {
    columnMap = allocate(<usize>width << 2);
    for (let x = 0; x < width; x++) store<i32>(columnMap + (<usize>x << 2), <i32>((<i64>x * sourceWidth) >> 9));
  }
  if (unfiltered) return;
  const rowBytes = <usize>paddedWidth << 2;
  lumaRows = allocate(rowBytes * GROUP);
  interleaved = allocate(rowBytes * GROUP);
  runningSums = allocate(rowBytes * GROUP);
  ring1 = allocate(rowBytes * ringRows);
  sums1 = allocate(rowBytes);
  discard = allocate(rowBytes);
  columnRows = allocate(rowBytes * GROUP * 2);
  zeroRow = allocate(rowBytes);
  memory.fill(zeroRow, 0, rowBytes);
  ring2 = allocate(64 * 4 * <usize>ringRows);
  sums2 = allocate(64 * 4);
  rowDivisors = allocate(rowBytes);
  for (let x = 0; x < paddedWidth; x++) {
    store<f32>(rowDivisors + (<usize>x << 2), <f32>boxCount(x, width, rowWindow, rowHalf));
  }
  memory.fill(sums1, 0, rowBytes);
  memory.fill(sums2, 0, 64 * 4);
}

export function isHashable(): bool {
  return width >= MIN_HASHABLE_SIDE && height >= MIN_HASHABLE_SIDE;
}

export function stagingBuffer(): usize {
  return staging;
}

/** The source row the stream needs next (the pre-resize skips rows), or -1 when every row has been read. */
export function nextSourceRow(): i32 {
  if (!isHashable() || virtualRow >= height) return -1;
  return sourceRowOf(virtualRow);
}

/** Consumes the source row in the staging buffer: every virtual row drawn from it enters the filter. */
export function pushSourceRow(): void {
  const source = nextSourceRow();
  while (virtualRow < height && sourceRowOf(virtualRow) == source) {
    if (unfiltered) {
      lumaRow(BUFFER64 + (<usize>virtualRow << 8));
    } else {
      lumaRow(lumaRows + (<usize>lumaCount * paddedWidth << 2));
      if (++lumaCount == GROUP) flushLumaGroup();
    }
    virtualRow++;
  }
}

/** Drains the stream once the last row is in: the filters' trailing outputs reach the 64x64 buffer. */
export function finishStream(): void {
  if (unfiltered) return;
  if (lumaCount > 0) flushLumaGroup();
  finishColumnPass1();
  if (columnCount > 0) flushColumnGroup();
  finishColumnPass2();
}

/** Luma of the staged row: 0.299 R + 0.587 G + 0.114 B in that order (grey is used as is; alpha never read). */
function lumaRow(out: usize): void {
  if (resized) {
    for (let x = 0; x < width; x++) {
      const p = staging + <usize>load<i32>(columnMap + (<usize>x << 2)) * channels;
      const luma: f32 = channels <= 2
        ? <f32>load<u8>(p)
        : LUMA_R * <f32>load<u8>(p) + LUMA_G * <f32>load<u8>(p, 1) + LUMA_B * <f32>load<u8>(p, 2);
      store<f32>(out + (<usize>x << 2), luma);
    }
    return;
  }
  const maskR = v128.load(MASKS);
  const maskG = v128.load(MASKS, 16);
  const maskB = v128.load(MASKS, 32);
  const stride = <usize>channels << 2;
  let p = staging;
  if (channels <= 2) {
    for (let x = 0; x < width; x += 4, p += stride) {
      v128.store(out + (<usize>x << 2), f32x4.convert_i32x4_u(i8x16.swizzle(v128.load(p), maskR)));
    }
    return;
  }
  const r = f32x4.splat(LUMA_R);
  const g = f32x4.splat(LUMA_G);
  const b = f32x4.splat(LUMA_B);
  for (let x = 0; x < width; x += 4, p += stride) {
    const pixels = v128.load(p);
    const red = f32x4.convert_i32x4_u(i8x16.swizzle(pixels, maskR));
    const green = f32x4.convert_i32x4_u(i8x16.swizzle(pixels, maskG));
    const blue = f32x4.convert_i32x4_u(i8x16.swizzle(pixels, maskB));
    const luma = f32x4.add(f32x4.add(f32x4.mul(red, r), f32x4.mul(green, g)), f32x4.mul(blue, b));
    v128.store(out + (<usize>x << 2), luma);
  }
}

/**
 * Rows (row-major, `paddedWidth` apart) -> `interleaved`: two blocks of four rows, each column's four values in
 * one vector, so a row's running sum becomes a lane of an f32x4 chain.
 */
function interleaveRows(rows: usize): void {
  const rowBytes = <usize>paddedWidth << 2;
  for (let block = 0; block < 2; block++) {
    const first = rows + rowBytes * (block * 4);
    const target = interleaved + rowBytes * (block * 4);
    for (let x = 0; x < paddedWidth; x += 4) {
      const offset = <usize>x << 2;
      const a = v128.load(first + offset);
      const b = v128.load(first + rowBytes + offset);
      const c = v128.load(first + rowBytes * 2 + offset);
      const d = v128.load(first + rowBytes * 3 + offset);
      const ab01 = f32x4.shuffle(a, b, 0, 4, 1, 5);
      const cd01 = f32x4.shuffle(c, d, 0, 4, 1, 5);
      const ab23 = f32x4.shuffle(a, b, 2, 6, 3, 7);
      const cd23 = f32x4.shuffle(c, d, 2, 6, 3, 7);
      v128.store(vecAt(target, x), f32x4.shuffle(ab01, cd01, 0, 1, 4, 5));
      v128.store(vecAt(target, x + 1), f32x4.shuffle(ab01, cd01, 2, 3, 6, 7));
      v128.store(vecAt(target, x + 2), f32x4.shuffle(ab23, cd23, 0, 1, 4, 5));
      v128.store(vecAt(target, x + 3), f32x4.shuffle(ab23, cd23, 2, 3, 6, 7));
    }
  }
}

/**
 * The reference's box1DFloat along all eight interleaved rows at once, leaving each output's running sum (not yet
 * divided) in `runningSums`: add the entering sample, then subtract the leaving one, as the reference does.
 */
function rowRunningSums(window: i32, half: i32): void {
  const blockB = <usize>paddedWidth << 4;
  let sumA = f32x4.splat(0);
  let sumB = f32x4.splat(0);
  let right = 0;
  let left = 0;
  let k = 0;
  for (; right < half - 1; right++) {
    sumA = f32x4.add(sumA, v128.load(vecAt(interleaved, right)));
    sumB = f32x4.add(sumB, v128.load(vecAt(interleaved, right) + blockB));
  }
  const fullStart = window - half + 1;
  for (; k < fullStart; k++, right++) {
    sumA = f32x4.add(sumA, v128.load(vecAt(interleaved, right)));
    sumB = f32x4.add(sumB, v128.load(vecAt(interleaved, right) + blockB));
    v128.store(vecAt(runningSums, k), sumA);
    v128.store(vecAt(runningSums, k) + blockB, sumB);
  }
  const fullEnd = width - half + 1;
  for (; k < fullEnd; k++, right++, left++) {
    const inR = vecAt(interleaved, right);
    const inL = vecAt(interleaved, left);
    sumA = f32x4.sub(f32x4.add(sumA, v128.load(inR)), v128.load(inL));
    sumB = f32x4.sub(f32x4.add(sumB, v128.load(inR + blockB)), v128.load(inL + blockB));
    v128.store(vecAt(runningSums, k), sumA);
    v128.store(vecAt(runningSums, k) + blockB, sumB);
  }
  for (; k < width; k++, left++) {
    sumA = f32x4.sub(sumA, v128.load(vecAt(interleaved, left)));
    sumB = f32x4.sub(sumB, v128.load(vecAt(interleaved, left) + blockB));
    v128.store(vecAt(runningSums, k), sumA);
    v128.store(vecAt(runningSums, k) + blockB, sumB);
  }
}

/** Stage A: the group's luma rows through row box 1, divided and de-interleaved into ring 1, then on to stage B. */
function flushLumaGroup(): void {
  interleaveRows(lumaRows);
  rowRunningSums(rowWindow, rowHalf);
  // Full groups take the fused loop; the last, partial one the plain path. One loop with per-row guards for both
  // measured about 10% slower at 12 MP, which is why the divide-and-transpose block stands in both.
  if (lumaCount == GROUP) {
    flushFullGroupThroughColumnPass1();
  } else {
    storeRowBoxOutputs();
    for (let i = 0; i < lumaCount; i++) pushColumnPass1();
  }
  lumaCount = 0;
}

/** Row box 1's outputs of the group (divided, de-interleaved) into their ring-1 slots. */
function storeRowBoxOutputs(): void {
  const rowBytes = <usize>paddedWidth << 2;
  const blockB = <usize>paddedWidth << 4;
  for (let block = 0; block < 2; block++) {
    const sums = runningSums + (block == 0 ? 0 : blockB);
    // Rows of a partial last group are still written (from stale lanes); ring slots they land in are never read.
    const row = pass1Rows + block * 4;
    const out0 = ring1 + rowBytes * (row % ringRows);
    const out1 = ring1 + rowBytes * ((row + 1) % ringRows);
    const out2 = ring1 + rowBytes * ((row + 2) % ringRows);
    const out3 = ring1 + rowBytes * ((row + 3) % ringRows);
    for (let x = 0; x < paddedWidth; x += 4) {
      const offset = <usize>x << 2;
      const divisors = rowDivisors + offset;
      const a = f32x4.div(v128.load(vecAt(sums, x)), v128.load32_splat(divisors));
      const b = f32x4.div(v128.load(vecAt(sums, x + 1)), v128.load32_splat(divisors, 4));
      const c = f32x4.div(v128.load(vecAt(sums, x + 2)), v128.load32_splat(divisors, 8));
      const d = f32x4.div(v128.load(vecAt(sums, x + 3)), v128.load32_splat(divisors, 12));
      const ab01 = f32x4.shuffle(a, b, 0, 4, 1, 5);
      const cd01 = f32x4.shuffle(c, d, 0, 4, 1, 5);
      const ab23 = f32x4.shuffle(a, b, 2, 6, 3, 7);
      const cd23 = f32x4.shuffle(c, d, 2, 6, 3, 7);
      v128.store(out0 + offset, f32x4.shuffle(ab01, cd01, 0, 1, 4, 5));
      v128.store(out1 + offset, f32x4.shuffle(ab01, cd01, 2, 3, 6, 7));
      v128.store(out2 + offset, f32x4.shuffle(ab23, cd23, 0, 1, 4, 5));
      v128.store(out3 + offset, f32x4.shuffle(ab23, cd23, 2, 3, 6, 7));
    }
  }
}

/** Per row of a fused group: its ring-1 slot, the row its column sums drop, where its output goes, its divisor. */
const FUSED_ROWS: usize = memory.data(GROUP * 16, 16);

/**
 * Stages A and B together for a full group: each 4-column block of the group's eight row-box outputs is
 * de-interleaved and fed straight through column box 1, whose running sums stay in a register for all eight rows
 * instead of a load and a store per row. Rows still growing the column window subtract the zero row, which is
 * exact, so one loop serves every phase; rows before the first output write to the discard row.
 */
function flushFullGroupThroughColumnPass1(): void {
  const rowBytes = <usize>paddedWidth << 2;
  let outputs = 0;
  for (let t = 0; t < GROUP; t++) {
    const y = pass1Rows + t;
    const entry = FUSED_ROWS + (<usize>t << 4);
    store<u32>(entry, <u32>(ring1 + rowBytes * (y % ringRows)));
    store<u32>(entry, <u32>(y < columnWindow ? zeroRow : ring1 + rowBytes * ((y - columnWindow) % ringRows)), 4);
    const emits = y >= columnHalf - 1;
    store<u32>(entry, <u32>(emits ? columnSlot(columnBase + columnCount + outputs) : discard), 8);
    const divisor: i32 = emits ? min<i32>(y + 1, columnWindow) : 1;
    store<f32>(entry, <f32>divisor, 12);
    if (emits) outputs++;
  }
  const blockB = <usize>paddedWidth << 4;
  for (let x = 0; x < paddedWidth; x += 4) {
    const offset = <usize>x << 2;
    const divisors = rowDivisors + offset;
    const rowsA = runningSums;
    const rowsB = runningSums + blockB;
    const a0 = f32x4.div(v128.load(vecAt(rowsA, x)), v128.load32_splat(divisors));
    const a1 = f32x4.div(v128.load(vecAt(rowsA, x + 1)), v128.load32_splat(divisors, 4));
    const a2 = f32x4.div(v128.load(vecAt(rowsA, x + 2)), v128.load32_splat(divisors, 8));
    const a3 = f32x4.div(v128.load(vecAt(rowsA, x + 3)), v128.load32_splat(divisors, 12));
    const b0 = f32x4.div(v128.load(vecAt(rowsB, x)), v128.load32_splat(divisors));
    const b1 = f32x4.div(v128.load(vecAt(rowsB, x + 1)), v128.load32_splat(divisors, 4));
    const b2 = f32x4.div(v128.load(vecAt(rowsB, x + 2)), v128.load32_splat(divisors, 8));
    const b3 = f32x4.div(v128.load(vecAt(rowsB, x + 3)), v128.load32_splat(divisors, 12));
    const a01lo = f32x4.shuffle(a0, a1, 0, 4, 1, 5);
    const a23lo = f32x4.shuffle(a2, a3, 0, 4, 1, 5);
    const a01hi = f32x4.shuffle(a0, a1, 2, 6, 3, 7);
    const a23hi = f32x4.shuffle(a2, a3, 2, 6, 3, 7);
    const b01lo = f32x4.shuffle(b0, b1, 0, 4, 1, 5);
    const b23lo = f32x4.shuffle(b2, b3, 0, 4, 1, 5);
    const b01hi = f32x4.shuffle(b0, b1, 2, 6, 3, 7);
    const b23hi = f32x4.shuffle(b2, b3, 2, 6, 3, 7);
    let sum = v128.load(sums1 + offset);
    sum = fusedRow(sum, f32x4.shuffle(a01lo, a23lo, 0, 1, 4, 5), 0, offset);
    sum = fusedRow(sum, f32x4.shuffle(a01lo, a23lo, 2, 3, 6, 7), 1, offset);
    sum = fusedRow(sum, f32x4.shuffle(a01hi, a23hi, 0, 1, 4, 5), 2, offset);
    sum = fusedRow(sum, f32x4.shuffle(a01hi, a23hi, 2, 3, 6, 7), 3, offset);
    sum = fusedRow(sum, f32x4.shuffle(b01lo, b23lo, 0, 1, 4, 5), 4, offset);
    sum = fusedRow(sum, f32x4.shuffle(b01lo, b23lo, 2, 3, 6, 7), 5, offset);
    sum = fusedRow(sum, f32x4.shuffle(b01hi, b23hi, 0, 1, 4, 5), 6, offset);
    sum = fusedRow(sum, f32x4.shuffle(b01hi, b23hi, 2, 3, 6, 7), 7, offset);
    v128.store(sums1 + offset, sum);
  }
  pass1Rows += GROUP;
  columnCount += outputs;
  while (columnCount >= GROUP) flushColumnGroup();
}

/** One row of the fused loop: keep the row for later subtraction, slide the column sums, write the average. */
@inline function fusedRow(sum: v128, row: v128, t: i32, offset: usize): v128 {
  const entry = FUSED_ROWS + (<usize>t << 4);
  v128.store(<usize>load<u32>(entry) + offset, row);
  const next = f32x4.sub(f32x4.add(sum, row), v128.load(<usize>load<u32>(entry, 4) + offset));
  v128.store(<usize>load<u32>(entry, 8) + offset, f32x4.div(next, v128.load32_splat(entry, 12)));
  return next;
}

const ADD: i32 = 0;
const SLIDE: i32 = 1;
const REMOVE: i32 = 2;

/**
 * One row of a column box: every column's running sum takes the entering row and/or drops the leaving one, and
 * the sum divided by `count` is written to `out`. Lanes are columns, which are independent. One loop per
 * operation keeps the branch out of the hot loop.
 */
function columnStep(op: i32, sums: usize, entering: usize, leaving: usize, floats: i32, count: i32, out: usize): void {
  const divisor = f32x4.splat(<f32>count);
  const end = <usize>floats << 2;
  if (op == ADD) {
    for (let at: usize = 0; at < end; at += 16) {
      const sum = f32x4.add(v128.load(sums + at), v128.load(entering + at));
      v128.store(sums + at, sum);
      v128.store(out + at, f32x4.div(sum, divisor));
    }
  } else if (op == SLIDE) {
    for (let at: usize = 0; at < end; at += 16) {
      const sum = f32x4.sub(f32x4.add(v128.load(sums + at), v128.load(entering + at)), v128.load(leaving + at));
      v128.store(sums + at, sum);
      v128.store(out + at, f32x4.div(sum, divisor));
    }
  } else {
    for (let at: usize = 0; at < end; at += 16) {
      const sum = f32x4.sub(v128.load(sums + at), v128.load(leaving + at));
      v128.store(sums + at, sum);
      v128.store(out + at, f32x4.div(sum, divisor));
    }
  }
}

/** Stage B: the next ring-1 row enters column box 1; an output row, when due, goes to stage C. */
function pushColumnPass1(): void {
  const rowBytes = <usize>paddedWidth << 2;
  const y = pass1Rows++;
  const entering = ring1 + rowBytes * (y % ringRows);
  if (y < columnHalf - 1) {
    columnStep(ADD, sums1, entering, 0, paddedWidth, 1, discard);
    return;
  }
  const out = columnSlot(columnBase + columnCount);
  if (y < columnWindow) {
    columnStep(ADD, sums1, entering, 0, paddedWidth, y + 1, out);
  } else {
    const leaving = ring1 + rowBytes * ((y - columnWindow) % ringRows);
    columnStep(SLIDE, sums1, entering, leaving, paddedWidth, columnWindow, out);
  }
  columnOutput();
}

function finishColumnPass1(): void {
  const rowBytes = <usize>paddedWidth << 2;
  for (let t = 0; t < columnHalf - 1; t++) {
    const leaving = ring1 + rowBytes * ((height - columnWindow + t) % ringRows);
    columnStep(REMOVE, sums1, 0, leaving, paddedWidth, columnWindow - 1 - t, columnSlot(columnBase + columnCount));
    columnOutput();
  }
}

function columnOutput(): void {
  if (++columnCount == GROUP) flushColumnGroup();
}

/** Stage C: row box 2 over the group; only the 64 sampled columns are divided, into ring 2, then stage D. */
function flushColumnGroup(): void {
  interleaveRows(columnSlot(columnBase));
  rowRunningSums(rowWindow, rowHalf);
  const blockB = <usize>paddedWidth << 4;
  const out0 = ring2Row(columnBase);
  const out1 = ring2Row(columnBase + 1);
  const out2 = ring2Row(columnBase + 2);
  const out3 = ring2Row(columnBase + 3);
  const out4 = ring2Row(columnBase + 4);
  const out5 = ring2Row(columnBase + 5);
  const out6 = ring2Row(columnBase + 6);
  const out7 = ring2Row(columnBase + 7);
  for (let j = 0; j < 64; j++) {
    const x = load<i32>(SAMPLE_COLUMNS + (<usize>j << 2));
    const divisor = v128.load32_splat(rowDivisors + (<usize>x << 2));
    const a = f32x4.div(v128.load(vecAt(runningSums, x)), divisor);
    const b = f32x4.div(v128.load(vecAt(runningSums, x) + blockB), divisor);
    const column = <usize>j << 2;
    store<f32>(out0 + column, f32x4.extract_lane(a, 0));
    store<f32>(out1 + column, f32x4.extract_lane(a, 1));
    store<f32>(out2 + column, f32x4.extract_lane(a, 2));
    store<f32>(out3 + column, f32x4.extract_lane(a, 3));
    store<f32>(out4 + column, f32x4.extract_lane(b, 0));
    store<f32>(out5 + column, f32x4.extract_lane(b, 1));
    store<f32>(out6 + column, f32x4.extract_lane(b, 2));
    store<f32>(out7 + column, f32x4.extract_lane(b, 3));
  }
  const count = min<i32>(columnCount, GROUP);
  columnCount -= count;
  columnBase += count;
  for (let i = 0; i < count; i++) pushColumnPass2();
}

/** Where column box 1's output row `row` lives; a group's 8 rows start at slot 0 or 8, so they are contiguous. */
@inline function columnSlot(row: i32): usize {
  return columnRows + (<usize>(row & (GROUP * 2 - 1)) * paddedWidth << 2);
}

@inline function ring2Row(row: i32): usize {
  return ring2 + ((<usize>(row % ringRows)) << 8);
}

/** Stage D: column box 2 on the 64 sampled columns; rows that are decimation targets land in BUFFER64. */
function pushColumnPass2(): void {
  const y = pass2Rows++;
  const entering = ring2Row(y);
  if (y < columnHalf - 1) {
    columnStep(ADD, sums2, entering, 0, 64, 1, ROW_OUT);
    return;
  }
  const outRow = y - columnHalf + 1;
  if (y < columnWindow) columnStep(ADD, sums2, entering, 0, 64, y + 1, ROW_OUT);
  else columnStep(SLIDE, sums2, entering, ring2Row(y - columnWindow), 64, columnWindow, ROW_OUT);
  storeSampleRows(outRow);
}

function finishColumnPass2(): void {
  for (let t = 0; t < columnHalf - 1; t++) {
    const outRow = height - columnHalf + 1 + t;
    columnStep(REMOVE, sums2, 0, ring2Row(height - columnWindow + t), 64, columnWindow - 1 - t, ROW_OUT);
    storeSampleRows(outRow);
  }
}

@inline function isSampleRow(row: i32): bool {
  return nextSample < 64 && load<i32>(SAMPLE_ROWS + (<usize>nextSample << 2)) == row;
}

/** Small images repeat rows in the decimation (e.g. 20 rows -> 64 targets), so one filtered row may fill several. */
function storeSampleRows(row: i32): void {
  while (isSampleRow(row)) {
    memory.copy(BUFFER64 + (<usize>nextSample << 8), ROW_OUT, 64 * 4);
    nextSample++;
  }
}
