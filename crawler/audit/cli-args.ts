// Tiny argv parser for the crawler CLIs: --flag, --key value, --key=value, positionals.
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

export function parseArgv(argv: string[], valued: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags[key] = a.slice(eq + 1);
      else if (valued.has(key)) {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith("--")) throw new Error(`thiếu giá trị cho --${key}`);
        flags[key] = v;
        i++;
      } else flags[key] = true;
    } else positionals.push(a);
  }
  return { positionals, flags };
}
