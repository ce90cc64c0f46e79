/**
 * PDQ's front half (luma, two rounds of the Jarosz box filter, 64x64 decimation) as a row stream.
 *
 * The reference filters whole float planes: rows, then columns with a row stride, twice. Here rows arrive one at
 * a time and are filtered in groups of GROUP rows, keeping only a window of rows, so memory is O(width x window)
 * instead of two planes of the image, and every read is sequential. Per group:
 *   A. luma, four pixels of a row per vector, transposed into the layout the row boxes need (lanes are rows:
 *      each running sum is an f32x4 lane)
 *   B. row box 1              \ one pass over the columns: row box 1's outputs are divided and transposed in
 *   C. column box 1            | registers (lanes become columns) into column box 1, a running sum per column
 *   D. row box 2 (previous     | over a ring of rows, whose outputs are transposed back for row box 2 with the
 *      group's outputs)       /  next group; of row box 2 only the 64 decimated columns are divided and kept
 *   E. column box 2            (on those 64 columns; only the 64 decimated rows are divided and kept)
 * Zeros stand in for everything outside the image: adding or subtracting 0 is exact (x + 0 == x - 0 == x), so the
 * boxes' growing and shrinking ends run in the same loops as their middles. The row boxes read zero columns on
 * both sides; column box 1, whose output row y - (columnHalf - 1) is due when input row y enters, reads zero rows
 * before the first and after the last, so every group gives GROUP consecutive output rows.
 * Each running sum sees exactly the float32 additions, subtractions and divisions of the reference's
 * box1DFloat, in the same order, so the result is bit-identical (docs/pdq-algorithm.md sections 3-5 and 10).
 */
import { allocate, resetArena } from "./arena";

/** Rows filtered together: two f32x4 vectors of four rows, so each step of a running sum serves eight rows. */
const GROUP: i32 = 8;
const REFERENCE_CLI_SIDE: i32 = 512;
export const MIN_HASHABLE_SIDE: i32 = 5;

const LUMA_R: f32 = 0.299;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;

/** The 64x64 pre-DCT buffer. */
export const BUFFER64: usize = memory.data(64 * 64 * 4, 16);
const SAMPLE_ROWS: usize = memory.data(64 * 4, 16);
const SAMPLE_COLUMNS: usize = memory.data(64 * 4, 16);
const ROW_OUT: usize = memory.data(64 * 4, 16);
/** Where stage D writes the outputs of rows that do not exist (before the first output, after the last). */
const DISCARD64: usize = memory.data(64 * 4, 16);
/** Per row of a group: where its bytes are (a staged row, or the zero row past the image's end). */
const GROUP_SOURCES: usize = memory.data(GROUP * 4, 16);
/** Per row of a group: its ring-1 slot, the ring-1 row its column sums drop, and its output's divisor. */
const GROUP_ROWS: usize = memory.data(GROUP * 16, 16);

// Geometry of the image as the filter sees it (after the optional 512x512 pre-resize).
let sourceWidth: i32 = 0;
let sourceHeight: i32 = 0;
let channels: i32 = 0;
let width: i32 = 0;
let height: i32 = 0;
let resized: bool = false;
let unfiltered: bool = false;
/** Columns rounded up to whole vectors of four. */
let paddedWidth: i32 = 0;
/** Bytes between rows of floats and between staged rows of bytes. */
let rowBytes: usize = 0;
let stagedBytes: usize = 0;
let rowWindow: i32 = 0;
let rowHalf: i32 = 0;
let columnWindow: i32 = 0;
let columnHalf: i32 = 0;
let ringRows: i32 = 0;

// Buffers, carved from the arena per image.
/** The pre-resize's source row, which the host fills (only when resized). */
let sourceRow: usize = 0;
let columnMap: usize = 0;
/** The group's rows of bytes, `stagedBytes` apart; the host copies rows straight in unless resized. */
let staged: usize = 0;
let zeroBytes: usize = 0;
/**
 * The row boxes' input, one 64-byte record per column: the group's luma (rows 0-3, rows 4-7), then column box 1's
 * outputs for the group (its output rows 0-3, 4-7). Lanes are rows, so each row's running sum is one f32x4 lane.
 * Two buffers take turns: row box 2 reads the previous group's outputs while this group's are written. Both have
 * zero records before column 0 and after the last: adding or subtracting 0 is exact, so the row boxes' growing
 * and shrinking ends run in the same loop as their middle.
 */
let records: usize = 0;
let previousRecords: usize = 0;
/** Row box 2's running sums (undivided) of the previous group's outputs, 32 bytes per column, for stage D. */
let rowSums2: usize = 0;
let ring1: usize = 0;
let sums1: usize = 0;
/** A row of zeros: subtracting it is exact (x - 0 == x), so growing-window rows share the sliding loop. */
let zeroRow: usize = 0;
let ring2: usize = 0;
let sums2: usize = 0;
/** Per column: the row box's divisor (how many samples its window holds there), as float32. */
let rowDivisors: usize = 0;

// Progress through the stream.
let virtualRow: i32 = 0;
let groupStart: i32 = 0;
let pass2Rows: i32 = 0;
let nextSample: i32 = 0;

/** Bytes per column of `records`. */
const RECORD: usize = 64;

/**
 * A buffer stride of an odd number of cache lines. Power-of-two strides (a 2048 px wide image) put every row of a
 * group in the same cache sets and make loads wait on unrelated stores; 3MP photos ran 1.7x slower with them.
 */
function skewedStride(bytes: usize): usize {
  return (((bytes + 63) >> 6) | 1) << 6;
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
  groupStart = 0;
  pass2Rows = 0;
  nextSample = 0;
  if (!isHashable()) return;

  unfiltered = width == 64 && height == 64;
  paddedWidth = (width + 3) & ~3;
  rowWindow = jaroszWindow(width);
  rowHalf = (rowWindow + 2) / 2;
  columnWindow = jaroszWindow(height);
  columnHalf = (columnWindow + 2) / 2;
  ringRows = columnWindow + GROUP;
  rowBytes = skewedStride(<usize>paddedWidth << 2);
  // Rows are read with 16-byte vector loads from each group of four pixels; the padding keeps the last inside.
  stagedBytes = skewedStride(<usize>width * channels + 16);

  if (resized) {
    // Four bytes are read from the last pixel on.
    sourceRow = allocate(<usize>sourceWidth * channels + 4);
    columnMap = allocate(<usize>width << 2);
    for (let x = 0; x < width; x++) store<i32>(columnMap + (<usize>x << 2), <i32>((<i64>x * sourceWidth) >> 9));
  }
  // Zeros past each row's bytes give padding columns a luma of exactly 0, as the zero records around them.
  staged = allocate(stagedBytes * GROUP);
  memory.fill(staged, 0, stagedBytes * GROUP);
  setLumaConstants();
  for (let i = 0; i < 64; i++) {
    store<i32>(SAMPLE_ROWS + (<usize>i << 2), <i32>(((<f64>i + 0.5) * <f64>height) / 64.0));
    store<i32>(SAMPLE_COLUMNS + (<usize>i << 2), <i32>(((<f64>i + 0.5) * <f64>width) / 64.0));
  }
  if (unfiltered) return;
  zeroBytes = allocate(stagedBytes);
  memory.fill(zeroBytes, 0, stagedBytes);
  // Zeros, not stale memory, go through row box 2 alongside the first group (stale bytes could be denormals).
  records = zeroGuardedRecords();
  previousRecords = zeroGuardedRecords();
  rowSums2 = allocate(<usize>paddedWidth << 5);
  ring1 = allocate(rowBytes * ringRows);
  sums1 = allocate(rowBytes);
  memory.fill(sums1, 0, rowBytes);
  zeroRow = allocate(rowBytes);
  memory.fill(zeroRow, 0, rowBytes);
  ring2 = allocate(64 * 4 * <usize>ringRows);
  sums2 = allocate(64 * 4);
  memory.fill(sums2, 0, 64 * 4);
  rowDivisors = allocate(rowBytes);
  for (let x = 0; x < paddedWidth; x++) {
    store<f32>(rowDivisors + (<usize>x << 2), <f32>boxCount(x, width, rowWindow, rowHalf));
  }
}

/** A zeroed record buffer with room for the row box's reach on both sides; returns where column 0 starts. */
function zeroGuardedRecords(): usize {
  const before = <usize>rowWindow * RECORD;
  const bytes = before + <usize>(paddedWidth + rowHalf + 4) * RECORD;
  const start = allocate(bytes);
  memory.fill(start, 0, bytes);
  return start + before;
}

export function isHashable(): bool {
  return width >= MIN_HASHABLE_SIDE && height >= MIN_HASHABLE_SIDE;
}

/** Where the host copies the bytes of the source row `nextSourceRow()` names (it moves from row to row). */
export function stagingBuffer(): usize {
  if (resized) return sourceRow;
  return unfiltered ? staged : stagedRow(virtualRow);
}

@inline function stagedRow(row: i32): usize {
  return staged + stagedBytes * <usize>(row - groupStart);
}

/** The source row the stream needs next (the pre-resize skips rows), or -1 when every row has been read. */
export function nextSourceRow(): i32 {
  if (!isHashable() || virtualRow >= height) return -1;
  return sourceRowOf(virtualRow);
}

/** Consumes the source row in the staging buffer: every virtual row drawn from it enters the filter. */
export function pushSourceRow(): void {
  if (!resized) {
    rowArrived();
    return;
  }
  const source = nextSourceRow();
  while (virtualRow < height && sourceRowOf(virtualRow) == source) {
    gatherResizedRow(stagedRow(virtualRow));
    rowArrived();
  }
}

function rowArrived(): void {
  if (unfiltered) {
    lumaRow(staged, BUFFER64 + (<usize>virtualRow << 8));
    virtualRow++;
    return;
  }
  if (++virtualRow - groupStart == GROUP) flushGroup();
}

/**
 * The pre-resize: the nearest source pixel of each of the 512 columns, bytes as they are. Each pixel is copied as
 * four bytes; the next pixel overwrites the extra ones, and the last lands in the staged row's padding.
 */
function gatherResizedRow(out: usize): void {
  const step = <usize>channels;
  for (let x = 0; x < width; x++, out += step) {
    store<u32>(out, load<u32>(sourceRow + <usize>load<i32>(columnMap + (<usize>x << 2)) * step));
  }
}

/** Drains the stream once the last row is in: the filters' trailing outputs reach the 64x64 buffer. */
export function finishStream(): void {
  if (unfiltered) return;
  // Rows past the end enter as zeros until column box 1 has given its last output row.
  while (groupStart - (columnHalf - 1) < height) flushGroup();
  // The last group's column box 1 outputs still need row box 2 (this pass's row box 1 and column box 1 are unused).
  filterGroup();
  sampleColumns(groupStart - GROUP - (columnHalf - 1));
  finishColumnPass2();
}

/** Luma, 0.299 R + 0.587 G + 0.114 B in that order (grey is used as is; alpha never read). */
@inline function lumaAt(p: usize): f32 {
  return channels <= 2 ? <f32>load<u8>(p) : LUMA_R * <f32>load<u8>(p) + LUMA_G * <f32>load<u8>(p, 1) + LUMA_B * <f32>load<u8>(p, 2);
}

/** One row's luma, row-major (the 64x64 image, which skips the filter). */
function lumaRow(bytes: usize, out: usize): void {
  for (let x = 0; x < width; x++) store<f32>(out + (<usize>x << 2), lumaAt(bytes + <usize>x * channels));
}

/**
 * The group's rows through stages A-C, and the previous group's column box 1 outputs through stages D-E (row box 2
 * of one group shares its loop with row box 1 and column box 1 of the next).
 */
function flushGroup(): void {
  for (let t = 0; t < GROUP; t++) {
    const y = groupStart + t;
    store<u32>(GROUP_SOURCES + (<usize>t << 2), <u32>(y < height ? stagedRow(y) : zeroBytes));
    const entry = GROUP_ROWS + (<usize>t << 4);
    store<u32>(entry, <u32>(ring1 + rowBytes * <usize>(y % ringRows)));
    store<u32>(entry, <u32>(y < columnWindow ? zeroRow : ring1 + rowBytes * <usize>((y - columnWindow) % ringRows)), 4);
    store<f32>(entry, <f32>columnCount(y), 8);
  }
  lumaGroup();
  filterGroup();
  sampleColumns(groupStart - GROUP - (columnHalf - 1));
  const written = previousRecords;
  previousRecords = records;
  records = written;
  groupStart += GROUP;
}

/** Column box 1's divisor for the output due at input row `y` (rows with no output get 1: their sums are unused). */
function columnCount(y: i32): i32 {
  const output = y - (columnHalf - 1);
  if (output < 0 || output >= height) return 1;
  if (y < columnWindow) return y + 1;
  return y < height ? columnWindow : columnWindow - 1 - (y - height);
}

/**
 * Stage A's constants: the three byte-gathering masks for this image's pixel size and the three luma weights, as
 * vectors. The loops load them from memory once: written as constants, V8 materialises each one again at every
 * use inside the loop.
 */
const LUMA_CONSTANTS: usize = memory.data(6 * 16, 16);

/** Mask lane bytes whose index is >= 16 come out as 0 from a swizzle. */
const ZERO_BYTE: u8 = 0x80;

function setLumaConstants(): void {
  // Mask c puts byte c of pixel k (R, G or B; grey is R) in the low byte of lane k, zeros above it.
  for (let c = 0; c < 3; c++) {
    for (let k = 0; k < 4; k++) {
      const lane = LUMA_CONSTANTS + (<usize>c << 4) + (<usize>k << 2);
      store<u32>(lane, <u32>(ZERO_BYTE * 0x01010100) | <u32>(k * channels + c));
    }
  }
  v128.store(LUMA_CONSTANTS, f32x4.splat(LUMA_R), 48);
  v128.store(LUMA_CONSTANTS, f32x4.splat(LUMA_G), 64);
  v128.store(LUMA_CONSTANTS, f32x4.splat(LUMA_B), 80);
}

/** Stage A, with the bytes per pixel a constant for the two common layouts (the loads then take fixed offsets). */
function lumaGroup(): void {
  if (channels == 3) lumaGroupOf(3, false);
  else if (channels == 4) lumaGroupOf(4, false);
  else lumaGroupOf(channels, true);
}

/**
 * Luma of the group's rows into `records`, four pixels of four rows at a time: one 16-byte load per row, its
 * pixels' bytes gathered into lanes (lanes are columns), then transposed so lanes are rows, as the row boxes need.
 * Rows are staged with 16 bytes to spare, so the load at the last pixels stays inside.
 */
@inline function lumaGroupOf(pixelBytes: i32, grey: bool): void {
  const maskR = v128.load(LUMA_CONSTANTS);
  const maskG = v128.load(LUMA_CONSTANTS, 16);
  const maskB = v128.load(LUMA_CONSTANTS, 32);
  const weightR = v128.load(LUMA_CONSTANTS, 48);
  const weightG = v128.load(LUMA_CONSTANTS, 64);
  const weightB = v128.load(LUMA_CONSTANTS, 80);
  const step = <usize>pixelBytes << 2;
  for (let block = 0; block < 2; block++) {
    const sources = GROUP_SOURCES + (<usize>block << 4);
    let row0 = <usize>load<u32>(sources);
    let row1 = <usize>load<u32>(sources, 4);
    let row2 = <usize>load<u32>(sources, 8);
    let row3 = <usize>load<u32>(sources, 12);
    let out = records + (<usize>block << 4);
    const end = out + <usize>paddedWidth * RECORD;
    for (; out < end; out += 4 * RECORD, row0 += step, row1 += step, row2 += step, row3 += step) {
      storeTransposed(
        out,
        lumaOfFour(v128.load(row0), grey, maskR, maskG, maskB, weightR, weightG, weightB),
        lumaOfFour(v128.load(row1), grey, maskR, maskG, maskB, weightR, weightG, weightB),
        lumaOfFour(v128.load(row2), grey, maskR, maskG, maskB, weightR, weightG, weightB),
        lumaOfFour(v128.load(row3), grey, maskR, maskG, maskB, weightR, weightG, weightB),
      );
    }
  }
}

/**
 * Luma of the four pixels at the start of `pixels`: grey as it is, colour as 0.299 R + 0.587 G + 0.114 B in the
 * reference's order (alpha never read). Conversions are signed: the same for 0..255, and one instruction where
 * unsigned takes eight.
 */
@inline function lumaOfFour(
  pixels: v128, grey: bool, maskR: v128, maskG: v128, maskB: v128, weightR: v128, weightG: v128, weightB: v128,
): v128 {
  const red = f32x4.convert_i32x4_s(i8x16.swizzle(pixels, maskR));
  if (grey) return red;
  const green = f32x4.convert_i32x4_s(i8x16.swizzle(pixels, maskG));
  const blue = f32x4.convert_i32x4_s(i8x16.swizzle(pixels, maskB));
  return f32x4.add(f32x4.add(f32x4.mul(red, weightR), f32x4.mul(green, weightG)), f32x4.mul(blue, weightB));
}

/** The 4x4 transpose of rows a-d (lanes are columns): one vector per column, into four consecutive records. */
@inline function storeTransposed(out: usize, a: v128, b: v128, c: v128, d: v128): void {
  const ab01 = f32x4.shuffle(a, b, 0, 4, 1, 5);
  const cd01 = f32x4.shuffle(c, d, 0, 4, 1, 5);
  const ab23 = f32x4.shuffle(a, b, 2, 6, 3, 7);
  const cd23 = f32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(out, f32x4.shuffle(ab01, cd01, 0, 1, 4, 5));
  v128.store(out, f32x4.shuffle(ab01, cd01, 2, 3, 6, 7), RECORD);
  v128.store(out, f32x4.shuffle(ab23, cd23, 0, 1, 4, 5), RECORD * 2);
  v128.store(out, f32x4.shuffle(ab23, cd23, 2, 3, 6, 7), RECORD * 3);
}

/**
 * Stages B-D in one pass over the columns, four at a time. Per column, four running sums move one step: row box 1
 * over the group's eight luma rows (two f32x4 chains) and row box 2 over the previous group's eight column box 1
 * outputs (two more): each sum waits on its own last add and subtract, so four independent chains keep the adder
 * busy. Each is the reference's box1DFloat: add the entering sample, then subtract the leaving one, in its order.
 * Row box 2's sums go to `rowSums2` for stage D; row box 1's four outputs per row are divided, transposed (lanes
 * become columns) and fed through column box 1, whose running sums stay in a register for all eight rows; its
 * eight outputs are transposed back (lanes are rows) into this group's records, for row box 2 with the next group.
 */
function filterGroup(): void {
  const back = <usize>rowWindow * RECORD;
  const previous = previousRecords - records;
  let sumA = f32x4.splat(0);
  let sumB = f32x4.splat(0);
  let sumC = f32x4.splat(0);
  let sumD = f32x4.splat(0);
  // The reference's additions before its first output (the leaving samples are the zero records).
  let right = records;
  for (const start = records + <usize>(rowHalf - 1) * RECORD; right < start; right += RECORD) {
    sumA = slideSum(sumA, right, right - back);
    sumB = slideSum(sumB, right + 16, right - back + 16);
    sumC = slideSum(sumC, right + previous + 32, right + previous - back + 32);
    sumD = slideSum(sumD, right + previous + 48, right + previous - back + 48);
  }
  let sums2 = rowSums2;
  let divisors = rowDivisors;
  let out = records;
  const end = records + <usize>paddedWidth * RECORD;
  for (let offset: usize = 0; out < end; out += 4 * RECORD, right += 4 * RECORD, sums2 += 128, divisors += 16, offset += 16) {
    const leaving = right - back;
    const entering2 = right + previous;
    const leaving2 = leaving + previous;
    sumC = slideSum(sumC, entering2 + 32, leaving2 + 32);
    sumD = slideSum(sumD, entering2 + 48, leaving2 + 48);
    v128.store(sums2, sumC);
    v128.store(sums2, sumD, 16);
    sumC = slideSum(sumC, entering2 + RECORD + 32, leaving2 + RECORD + 32);
    sumD = slideSum(sumD, entering2 + RECORD + 48, leaving2 + RECORD + 48);
    v128.store(sums2, sumC, 32);
    v128.store(sums2, sumD, 48);
    sumC = slideSum(sumC, entering2 + RECORD * 2 + 32, leaving2 + RECORD * 2 + 32);
    sumD = slideSum(sumD, entering2 + RECORD * 2 + 48, leaving2 + RECORD * 2 + 48);
    v128.store(sums2, sumC, 64);
    v128.store(sums2, sumD, 80);
    sumC = slideSum(sumC, entering2 + RECORD * 3 + 32, leaving2 + RECORD * 3 + 32);
    sumD = slideSum(sumD, entering2 + RECORD * 3 + 48, leaving2 + RECORD * 3 + 48);
    v128.store(sums2, sumC, 96);
    v128.store(sums2, sumD, 112);
    const d0 = v128.load32_splat(divisors);
    const d1 = v128.load32_splat(divisors, 4);
    const d2 = v128.load32_splat(divisors, 8);
    const d3 = v128.load32_splat(divisors, 12);
    sumA = slideSum(sumA, right, leaving);
    sumB = slideSum(sumB, right + 16, leaving + 16);
    const a0 = f32x4.div(sumA, d0);
    const b0 = f32x4.div(sumB, d0);
    sumA = slideSum(sumA, right + RECORD, leaving + RECORD);
    sumB = slideSum(sumB, right + RECORD + 16, leaving + RECORD + 16);
    const a1 = f32x4.div(sumA, d1);
    const b1 = f32x4.div(sumB, d1);
    sumA = slideSum(sumA, right + RECORD * 2, leaving + RECORD * 2);
    sumB = slideSum(sumB, right + RECORD * 2 + 16, leaving + RECORD * 2 + 16);
    const a2 = f32x4.div(sumA, d2);
    const b2 = f32x4.div(sumB, d2);
    sumA = slideSum(sumA, right + RECORD * 3, leaving + RECORD * 3);
    sumB = slideSum(sumB, right + RECORD * 3 + 16, leaving + RECORD * 3 + 16);
    const a3 = f32x4.div(sumA, d3);
    const b3 = f32x4.div(sumB, d3);
    let sum = v128.load(sums1 + offset);
    sum = columnBoxRows(sum, a0, a1, a2, a3, 0, offset, out + 32);
    sum = columnBoxRows(sum, b0, b1, b2, b3, 4, offset, out + 48);
    v128.store(sums1 + offset, sum);
  }
  // Outputs past the last column enter row box 2 with the next group, where the reference has nothing: zeros keep
  // every column of the filtered rows equal to the reference's (the decimation never reads the last half window).
  for (let column = records + <usize>width * RECORD; column < end; column += RECORD) {
    v128.store(column, f32x4.splat(0), 32);
    v128.store(column, f32x4.splat(0), 48);
  }
}

/** One step of a row box running sum: the entering sample added, then the leaving one subtracted. */
@inline function slideSum(sum: v128, entering: usize, leaving: usize): v128 {
  return f32x4.sub(f32x4.add(sum, v128.load(entering)), v128.load(leaving));
}

/**
 * Column box 1 over four of the group's rows, from `first` on, given as row box outputs for four columns (lanes are
 * rows): transposed so lanes are columns, slid in one row after another, and the four outputs transposed back into
 * the records at `out`. Returns the column sums.
 */
@inline function columnBoxRows(sum: v128, c0: v128, c1: v128, c2: v128, c3: v128, first: i32, offset: usize, out: usize): v128 {
  const lo01 = f32x4.shuffle(c0, c1, 0, 4, 1, 5);
  const lo23 = f32x4.shuffle(c2, c3, 0, 4, 1, 5);
  const hi01 = f32x4.shuffle(c0, c1, 2, 6, 3, 7);
  const hi23 = f32x4.shuffle(c2, c3, 2, 6, 3, 7);
  sum = slide(sum, f32x4.shuffle(lo01, lo23, 0, 1, 4, 5), first, offset);
  const o0 = columnOutput(sum, first);
  sum = slide(sum, f32x4.shuffle(lo01, lo23, 2, 3, 6, 7), first + 1, offset);
  const o1 = columnOutput(sum, first + 1);
  sum = slide(sum, f32x4.shuffle(hi01, hi23, 0, 1, 4, 5), first + 2, offset);
  const o2 = columnOutput(sum, first + 2);
  sum = slide(sum, f32x4.shuffle(hi01, hi23, 2, 3, 6, 7), first + 3, offset);
  const o3 = columnOutput(sum, first + 3);
  storeTransposed(out, o0, o1, o2, o3);
  return sum;
}

/** One row of column box 1: keep the row for later subtraction, then slide the column sums over it. */
@inline function slide(sum: v128, row: v128, t: i32, offset: usize): v128 {
  const entry = GROUP_ROWS + (<usize>t << 4);
  v128.store(<usize>load<u32>(entry) + offset, row);
  return f32x4.sub(f32x4.add(sum, row), v128.load(<usize>load<u32>(entry, 4) + offset));
}

@inline function columnOutput(sum: v128, t: i32): v128 {
  return f32x4.div(sum, v128.load32_splat(GROUP_ROWS + (<usize>t << 4), 8));
}

/** Stage D's samples: row box 2's 64 decimated columns of a group's output rows, into ring 2, then stage E. */
function sampleColumns(firstOutput: i32): void {
  if (firstOutput + GROUP <= 0) return;
  const out0 = ring2RowOrDiscard(firstOutput);
  const out1 = ring2RowOrDiscard(firstOutput + 1);
  const out2 = ring2RowOrDiscard(firstOutput + 2);
  const out3 = ring2RowOrDiscard(firstOutput + 3);
  const out4 = ring2RowOrDiscard(firstOutput + 4);
  const out5 = ring2RowOrDiscard(firstOutput + 5);
  const out6 = ring2RowOrDiscard(firstOutput + 6);
  const out7 = ring2RowOrDiscard(firstOutput + 7);
  for (let j = 0; j < 64; j++) {
    const x = load<i32>(SAMPLE_COLUMNS + (<usize>j << 2));
    const divisor = v128.load32_splat(rowDivisors + (<usize>x << 2));
    const a = f32x4.div(v128.load(rowSums2 + (<usize>x << 5)), divisor);
    const b = f32x4.div(v128.load(rowSums2 + (<usize>x << 5), 16), divisor);
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
  for (let t = 0; t < GROUP; t++) {
    const row = firstOutput + t;
    if (row >= 0 && row < height) pushColumnPass2();
  }
}

@inline function ring2Row(row: i32): usize {
  return ring2 + ((<usize>(row % ringRows)) << 8);
}

@inline function ring2RowOrDiscard(row: i32): usize {
  return row >= 0 && row < height ? ring2Row(row) : DISCARD64;
}

const ADD: i32 = 0;
const SLIDE: i32 = 1;
const REMOVE: i32 = 2;

/**
 * One row of column box 2: every column's running sum takes the entering row and/or drops the leaving one, and
 * the sum divided by `count` is written to ROW_OUT. Lanes are columns, which are independent. One loop per
 * operation keeps the branch out of the hot loop.
 */
function columnStep(op: i32, entering: usize, leaving: usize, count: i32): void {
  const divisor = f32x4.splat(<f32>count);
  for (let at: usize = 0; at < 64 * 4; at += 16) {
    let sum = v128.load(sums2 + at);
    if (op != REMOVE) sum = f32x4.add(sum, v128.load(entering + at));
    if (op != ADD) sum = f32x4.sub(sum, v128.load(leaving + at));
    v128.store(sums2 + at, sum);
    v128.store(ROW_OUT + at, f32x4.div(sum, divisor));
  }
}

/** Stage E: column box 2 on the 64 sampled columns; rows that are decimation targets land in BUFFER64. */
function pushColumnPass2(): void {
  const y = pass2Rows++;
  const entering = ring2Row(y);
  if (y < columnHalf - 1) {
    columnStep(ADD, entering, 0, 1);
    return;
  }
  const outRow = y - columnHalf + 1;
  if (y < columnWindow) columnStep(ADD, entering, 0, y + 1);
  else columnStep(SLIDE, entering, ring2Row(y - columnWindow), columnWindow);
  storeSampleRows(outRow);
}

function finishColumnPass2(): void {
  for (let t = 0; t < columnHalf - 1; t++) {
    const outRow = height - columnHalf + 1 + t;
    columnStep(REMOVE, 0, ring2Row(height - columnWindow + t), columnWindow - 1 - t);
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
