/**
 * Near-duplicate groups in a set of hashed pictures: the copies of one picture (re-encoded, resized, and with
 * `dihedral` also rotated or mirrored) end up in one group. Two pictures are linked when their hashes are within
 * the threshold; a group is a connected set of links. Hashes of quality below 50 are kept out: flat or
 * featureless pictures have near-random bits that would link unrelated pictures together.
 */
import { hammingDistance, PDQ_MATCH_THRESHOLD, PDQ_QUALITY_THRESHOLD } from "../hash/pdq-hash.js";
import { HashIndex, type DihedralName } from "./hash-index.js";
import type { ScannerKind } from "./scanner.js";

export interface HashedPicture {
  pdq: string;
  quality: number;
  /** Needed with `dihedral`: the 8 variants from the engine. */
  dihedral?: readonly string[];
}

export interface DuplicateOptions {
  /** Largest distance that links two pictures; default 31. */
  threshold?: number;
  /** Also link rotated and mirrored copies. */
  dihedral?: boolean;
  /** Pictures below this quality are listed apart; default 50. */
  minQuality?: number;
  scanner?: ScannerKind;
}

/** Variant `variant` of picture `from` is `distance` bits from picture `to`. */
export interface DuplicateLink {
  from: number;
  to: number;
  distance: number;
  variant: DihedralName;
}

export interface DuplicateGroup {
  /** Positions in the input, the representative (highest quality, then first) first, the rest in input order. */
  members: number[];
  /** Distance from the representative (its nearest variant, with `dihedral`) to each member. */
  distances: number[];
  /**
   * The links that joined the group: a spanning tree (members - 1 links), each picture in input order linked to
   * its nearest pictures not yet in its group. Other pairs may be within the threshold too.
   */
  links: DuplicateLink[];
}

export interface DuplicateReport {
  /** Groups of two or more pictures, in the input order of their first member. */
  groups: DuplicateGroup[];
  /** Pictures whose quality is too low to group, in input order. */
  lowQuality: number[];
  /** Pictures that matched nothing. */
  unique: number;
}

export async function findDuplicateGroups(
  pictures: readonly HashedPicture[],
  options: DuplicateOptions = {},
): Promise<DuplicateReport> {
  const threshold = options.threshold ?? PDQ_MATCH_THRESHOLD;
  const dihedral = options.dihedral ?? false;
  const minQuality = options.minQuality ?? PDQ_QUALITY_THRESHOLD;
  const kept = pictures.flatMap((picture, position) => (picture.quality >= minQuality ? [position] : []));
  const lowQuality = pictures.flatMap((picture, position) => (picture.quality < minQuality ? [position] : []));
  const index = await HashIndex.create(
    kept.map((position) => ({ id: String(position), hash: pictures[position]!.pdq })),
    { scanner: options.scanner },
  );

  // Union-find over the kept pictures. A link is kept only when it joins two groups, so each group keeps a
  // spanning tree (members - 1 links) however many of its pairs are within the threshold: a group of 10,000
  // copies keeps 9,999 links, not 50 million.
  const parent = kept.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const links: DuplicateLink[] = [];
  kept.forEach((position, i) => {
    // Nearest first, so each picture joins through its closest copies.
    for (const match of index.positions(pictures[position]!, { threshold, dihedral })) {
      const [a, b] = [root(i), root(match.index)];
      if (a === b) continue;
      parent[a] = b;
      links.push({ from: position, to: kept[match.index]!, distance: match.distance, variant: match.variant });
    }
  });

  // Kept pictures are visited in input order, so groups are created in the order of their first member.
  const members = new Map<number, number[]>();
  kept.forEach((position, i) => {
    const group = members.get(root(i)) ?? [];
    group.push(position);
    members.set(root(i), group);
  });
  const groupOf = new Map<number, DuplicateGroup>();
  const groups: DuplicateGroup[] = [];
  for (const positions of members.values()) {
    if (positions.length < 2) continue;
    const representative = positions.reduce((best, p) => (pictures[p]!.quality > pictures[best]!.quality ? p : best));
    const ordered = [representative, ...positions.filter((p) => p !== representative)];
    const group: DuplicateGroup = {
      members: ordered,
      distances: ordered.map((p) => nearestDistance(pictures[representative]!, pictures[p]!.pdq, dihedral)),
      links: [],
    };
    for (const p of positions) groupOf.set(p, group);
    groups.push(group);
  }
  for (const link of links) groupOf.get(link.from)!.links.push(link);
  for (const group of groups) group.links.sort((a, b) => a.from - b.from || a.to - b.to);
  const grouped = groups.reduce((sum, group) => sum + group.members.length, 0);
  return { groups, lowQuality, unique: kept.length - grouped };
}

function nearestDistance(from: HashedPicture, to: string, dihedral: boolean): number {
  const variants = dihedral && from.dihedral ? from.dihedral : [from.pdq];
  return Math.min(...variants.map((variant) => hammingDistance(variant, to)));
}
