// What the benchmark specs share: running a bench script in node from the repo
// root, and asking whether a process it started is still there.
import { execFile } from "node:child_process";
import { join } from "node:path";

/** jest runs from the repo root. */
export const root = process.cwd();
export const bench = join(root, "packages/bench");

export interface NodeRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node args…` from the repo root to its end (killed after `timeout` ms, when given). */
export function node(args: readonly string[], timeout?: number): Promise<NodeRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
