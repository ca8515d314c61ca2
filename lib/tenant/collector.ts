/** Problems of one file, each at the line and column of the node it concerns (lib/tenant/yaml.ts positions). */
import { displayPath, type Problem } from "./problems";
import { positionOf, type NodePosition } from "./yaml";

export class Collector {
  readonly problems: Problem[] = [];
  constructor(
    readonly file: string,
    private positions: ReadonlyMap<string, NodePosition> = new Map(),
  ) {}
  setPositions(p: ReadonlyMap<string, NodePosition>): void {
    this.positions = p;
  }
  /** A problem at a node (its value, or its key with `atKey`). */
  at(pointer: string, message: string, expected?: string, atKey = false, pathPointer = pointer): void {
    const pos = positionOf(this.positions, pointer);
    const where = atKey && pos.key ? pos.key : pos;
    this.problems.push({
      file: this.file,
      line: where.line,
      column: where.column,
      path: displayPath(pathPointer),
      message,
      ...(expected ? { expected } : {}),
    });
  }
  /** A problem at an explicit line:column (decoding, YAML syntax). */
  raw(line: number, column: number, message: string, expected?: string): void {
    this.problems.push({ file: this.file, line, column, path: "", message, ...(expected ? { expected } : {}) });
  }
}
