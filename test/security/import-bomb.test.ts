// Zip bombs through the Excel import (issue 17 §3–4): small .xlsx files that inflate far past what
// an import needs, honestly declared or with sizes that lie in the local header, the central
// directory or a data descriptor, and worksheets with too many rows. Each is refused with a
// Vietnamese 400 that says nothing was imported, quickly, with the server's memory bounded, and
// no table changes. Caps: app/lib/xlsx-worker-limits.ts; decision 0021.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, send, startWorld, type Session, type World } from "./http.ts";
import { bombEntry, deflated, HEADER_ROW, inlineRow, SHEET_HEAD, SHEET_TAIL, sheetWorkbook, type Lies } from "./import-zip.ts";
import { fingerprint } from "./state.ts";

let w: World;
let inspector: Session;

const SHEET = "xl/worksheets/sheet1.xml";
const MB = 1024 * 1024;
// The caps (app/lib/xlsx-worker-limits.ts), written out so this file runs against code without them.
const MAX_UNCOMPRESSED = 100 * MB;
const MAX_RATIO = 100;
const MAX_SHEET_ROWS = 50_000;

async function upload(file: Buffer): Promise<{ status: number; body: string; ms: number; rssGrowthMb: number }> {
  const fd = new FormData();
  fd.append("_csrf", inspector.csrf);
  fd.append("file", new Blob([new Uint8Array(file)]), "bom.xlsx");
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t = performance.now();
  try {
    const res = await fetch(`${w.server.url}/quan-ly/nhap-excel`, { method: "POST", headers: { cookie: `tt_session=${inspector.token}` }, body: fd });
    const body = await res.text();
    return { status: res.status, body, ms: performance.now() - t, rssGrowthMb: (Math.max(peak, process.memoryUsage().rss) - rss0) / MB };
  } finally {
    clearInterval(sampler);
  }
}

/** A worksheet of `mb` MB of spaces after the header row: compresses about 1000×. */
function spaces(mb: number): ReturnType<typeof bombEntry> {
  return bombEntry(SHEET, SHEET_HEAD + HEADER_ROW, Buffer.alloc(MB, " "), mb, SHEET_TAIL);
}

/** A worksheet of `mb` MB that compresses about 50× (under the ratio cap): 30 kB of digits, then spaces, per MB. */
function looseBlocks(mb: number): ReturnType<typeof bombEntry> {
  const unit = Buffer.alloc(MB, " ");
  for (let i = 0; i < 30_000; i++) unit[i] = 48 + Math.floor(Math.random() * 10);
  return bombEntry(SHEET, SHEET_HEAD + HEADER_ROW + "<!--", unit, mb, "-->" + SHEET_TAIL);
}

beforeAll(async () => {
  w = await startWorld();
  inspector = await login(w, "kiemtra");
  // Warm the parsing thread (the import page's loader starts it) and check an ordinary file goes through.
  await send(w, "GET", "/quan-ly/nhap-excel", { session: inspector });
  const ok = await upload(sheetWorkbook(deflated(SHEET, SHEET_HEAD + HEADER_ROW + SHEET_TAIL)));
  expect(ok.body).toContain("Tệp không có dòng dữ liệu nào.");
}, 180_000);

afterAll(async () => {
  await w?.close();
});

describe("zip bombs in the Excel import", () => {
  const refusedQuickly = async (file: Buffer, message: RegExp, maxMs = 10_000) => {
    expect(file.length).toBeLessThan(2 * MB);
    const before = await fingerprint(w.db.knex);
    const a = await upload(file);
    expect(a.status).toBe(400);
    expect(a.body).toMatch(message);
    expect(a.body).toContain("Chưa nhập dòng nào.");
    expect(a.ms).toBeLessThan(maxMs);
    expect(a.rssGrowthMb).toBeLessThan(150);
    expect(await fingerprint(w.db.knex)).toEqual(before);
    return a;
  };

  it("refuses, from the central directory alone, a 310 kB file declaring a 300 MB worksheet (ratio ≈ 1000)", async () => {
    const bomb = spaces(300);
    expect(bomb.size).toBeGreaterThan(MAX_UNCOMPRESSED);
    await refusedQuickly(sheetWorkbook(bomb), /nén bất thường \(giải nén lớn hơn 100 lần\)/);
  }, 60_000);

  it("refuses a file whose honest entries, each under the ratio cap, add up to more than 100 MB", async () => {
    const bomb = looseBlocks(110);
    expect(bomb.size / bomb.data.length).toBeLessThan(MAX_RATIO);
    expect(bomb.size).toBeGreaterThan(MAX_UNCOMPRESSED);
    await refusedQuickly(sheetWorkbook(bomb), /khi giải nén, dữ liệu vượt quá 100 MB/);
  }, 60_000);

  const lies: [string, Lies][] = [
    ["in the local header and the central directory", { declaredSize: 4_000 }],
    ["in a data descriptor (local header sizes 0)", { declaredSize: 4_000, dataDescriptor: true }],
  ];
  for (const [where, lie] of lies) {
    it(`counts while inflating: a 300 MB worksheet declared as 4 kB ${where} is refused at the lie`, async () => {
      await refusedQuickly(sheetWorkbook(spaces(300), lie), /kích thước khai báo .* không khớp với dữ liệu thật/);
    }, 60_000);
  }

  it("refuses a worksheet of more rows than the cap even when every row is blank for the import (cells outside its columns)", async () => {
    const n = MAX_SHEET_ROWS + 1_000;
    const rows: string[] = [HEADER_ROW];
    for (let r = 2; r <= n; r++) rows.push(inlineRow(r, [["Z", "x"]]));
    const file = sheetWorkbook(deflated(SHEET, SHEET_HEAD + rows.join("") + SHEET_TAIL));
    // The rows are parsed up to the cap (≈ 3 s on a quiet machine), so the bound is looser here.
    await refusedQuickly(file, /có hơn 50\.000 dòng \(kể cả dòng trống\)/, 45_000);
  }, 90_000);

  it("still imports an ordinary file after the refusals (the parsing thread is not left broken)", async () => {
    const row = inlineRow(2, [
      ["A", "UBND xã Tân Hà Bom"],
      ["B", "UBND cấp xã"],
      ["C", "UBND cấp xã"],
      ["D", "https://tanha-bom.example.gov.vn"],
    ]);
    const a = await upload(sheetWorkbook(deflated(SHEET, SHEET_HEAD + HEADER_ROW + row + SHEET_TAIL)));
    expect(a.status).toBe(200);
    expect(a.body).toContain("Đã nhập 1 dòng");
    expect(await w.db.knex("units").where({ name: "UBND xã Tân Hà Bom" }).first()).toBeTruthy();
  }, 60_000);
});
