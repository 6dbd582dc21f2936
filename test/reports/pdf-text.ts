// A small PDF text extractor for tests (poppler's pdftotext is not installed here): inflates the
// streams, reads each font's ToUnicode CMap and decodes the strings shown with Tj/TJ. Enough for
// LibreOffice's output; not a general PDF reader.
import { inflateSync, constants } from "node:zlib";

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endobj", start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf("stream");
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0 && body.slice(0, s).includes("<<")) {
      dict = body.slice(0, s);
      let dataStart = start + s + "stream".length;
      if (text[dataStart] === "\r") dataStart++;
      if (text[dataStart] === "\n") dataStart++;
      const dataEnd = text.indexOf("endstream", dataStart);
      const raw = pdf.subarray(dataStart, dataEnd);
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }) : raw;
    }
    objects.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return objects;
}

interface CMap {
  bytes: number;
  map: Map<number, string>;
}

function hexToString(hex: string): string {
  let out = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

function parseCMap(src: string): CMap {
  const map = new Map<number, string>();
  const range = src.match(/begincodespacerange\s*<([0-9A-Fa-f]+)>/);
  const bytes = range ? range[1].length / 2 : 1;
  for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(m[1], 16), hexToString(m[2]));
  }
  for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      if (m[3].startsWith("[")) {
        const items = [...m[3].matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => hexToString(x[1]));
        items.forEach((v, i) => map.set(lo + i, v));
      } else {
        const base = m[3].slice(1, -1);
        const last = parseInt(base.slice(-4), 16);
        for (let c = lo; c <= hi; c++) map.set(c, hexToString(base.slice(0, -4)) + String.fromCharCode(last + (c - lo)));
      }
    }
  }
  return { bytes, map };
}

function decodeLiteral(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== "\\") {
      out.push(ch.charCodeAt(0));
      continue;
    }
    const n = s[++i];
    if (/[0-7]/.test(n)) {
      let oct = n;
      while (oct.length < 3 && /[0-7]/.test(s[i + 1])) oct += s[++i];
      out.push(parseInt(oct, 8));
    } else out.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[n] ?? n.charCodeAt(0));
  }
  return out;
}

/** The text of every page, in content order, one line per text object (BT … ET). */
export function pdfText(pdf: Buffer): string {
  const objects = readObjects(pdf);
  const fontCMaps = new Map<number, CMap>();
  for (const [id, o] of objects) {
    const tu = o.dict.match(/\/Type\s*\/Font\b[\s\S]*?\/ToUnicode\s+(\d+)\s+0\s+R/) ?? (/\/Type\s*\/Font\b/.test(o.dict) ? o.dict.match(/\/ToUnicode\s+(\d+)\s+0\s+R/) : null);
    const cmapObj = tu ? objects.get(Number(tu[1])) : undefined;
    if (cmapObj?.stream) fontCMaps.set(id, parseCMap(cmapObj.stream.toString("latin1")));
  }
  const fontByName = new Map<string, number>();
  for (const o of objects.values()) {
    const direct = o.dict.match(/\/Font\s*<<([\s\S]*?)>>/)?.[1];
    const ref = o.dict.match(/\/Font\s+(\d+)\s+0\s+R/)?.[1];
    const fontDict = direct ?? (ref ? objects.get(Number(ref))?.dict : undefined);
    if (!fontDict) continue;
    for (const m of fontDict.matchAll(/\/([^\s/<>[\]()]+)\s+(\d+)\s+0\s+R/g)) fontByName.set(m[1], Number(m[2]));
  }
  const lines: string[] = [];
  for (const o of objects.values()) {
    if (!o.stream || /\/(Type|Subtype|Length1)\b/.test(o.dict) && !/\/Length\s/.test(o.dict)) continue;
    const content = o.stream.toString("latin1");
    if (!/\bBT\b/.test(content) || !/T[jJ]\b/.test(content)) continue;
    let cmap: CMap | undefined;
    let line = "";
    const tokens = /\/([^\s/<>[\]()]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)|\bET\b/g;
    let m: RegExpExecArray | null;
    while ((m = tokens.exec(content))) {
      if (m[1] !== undefined) {
        const id = fontByName.get(m[1]);
        cmap = id !== undefined ? fontCMaps.get(id) : undefined;
      } else if (m[0] === "ET") {
        if (line) lines.push(line);
        line = "";
      } else {
        const codes: number[] = [];
        if (m[2] !== undefined) {
          const hex = m[2].replace(/\s+/g, "");
          for (let i = 0; i + 1 < hex.length; i += 2) codes.push(parseInt(hex.slice(i, i + 2), 16));
        } else codes.push(...decodeLiteral(m[3]));
        const width = cmap?.bytes ?? 1;
        for (let i = 0; i + width <= codes.length; i += width) {
          let code = 0;
          for (let k = 0; k < width; k++) code = code * 256 + codes[i + k];
          line += cmap?.map.get(code) ?? (cmap ? "" : String.fromCharCode(code));
        }
      }
    }
    if (line) lines.push(line);
  }
  return lines.join("\n");
}
