// Command-line flags the way the interop runners pass them: `--name=value`
// (also `--name value`). Unknown flags are errors, so a typo is not silently
// ignored.

export class UsageError extends Error {
  override name = "UsageError";
}

export class Flags {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  static parse(argv: readonly string[], known: readonly string[]): Flags {
    const values = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const match = /^--([a-z_]+)(?:=(.*))?$/s.exec(arg);
      if (match === null) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
      const name = match[1]!;
      if (!known.includes(name)) throw new UsageError(`unknown flag --${name}`);
      let value = match[2];
      if (value === undefined) {
        value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`flag --${name} needs a value`);
        i++;
      }
      values.set(name, value);
    }
    return new Flags(values);
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  requiredString(name: string): string {
    const value = this.values.get(name);
    if (value === undefined || value === "") throw new UsageError(`flag --${name} is required`);
    return value;
  }

  port(name: string): number {
    const text = this.requiredString(name);
    const port = Number(text);
    if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--${name}=${text} is not a port number`);
    return port;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.values.get(name);
    if (value === undefined) return fallback;
    if (value === "true") return true;
    if (value === "false") return false;
    throw new UsageError(`--${name}=${value}: expected true or false`);
  }
}

/** The interop flags ask for TLS with the test CA's server1.pem; these implementations speak plaintext only. */
export function rejectTls(flags: Flags): void {
  if (flags.bool("use_tls", false)) {
    throw new UsageError("--use_tls=true is not supported: this implementation runs the interop cases over plaintext HTTP/2 only (pass --use_tls=false)");
  }
  if (flags.bool("use_test_ca", false)) throw new UsageError("--use_test_ca=true needs TLS, which is not supported");
}
