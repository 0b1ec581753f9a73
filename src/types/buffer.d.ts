// Node's fast, undocumented-in-types Buffer methods (present since Node 0.x); toString('latin1') goes through extra checks.
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}
export {};
