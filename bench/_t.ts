import { convertRun } from "../crawler/encoding/legacy.ts";
import { createRequire } from "node:module";
const vc = createRequire(import.meta.url)("vietnamese-conversion");
for (const w of ["UBND XÃ PHƯỚC HƯNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Việt Nam Cộng hòa"]) { const g = vc.toTCVN3(w, "unicode"); console.log(g, "→", convertRun(g, "TCVN3")); }
