// Changing a running farm between audit rounds (season tests): moving the reference date and
// overriding one site (down, a category emptied); clearing an override gives the same bytes back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "./dates.ts";
import { startFarm, type Farm } from "./index.ts";

let farm: Farm;

beforeAll(async () => {
  farm = await startFarm({ seed: 7, referenceDate: "2026-09-08" });
});

afterAll(async () => {
  await farm?.close();
});

async function get(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
}

const site = (id: string) => farm.sites.find((s) => s.id === id)!;

describe("farm mutations", () => {
  it("setReferenceDate rebuilds every site on the same port with content dated from the new day", async () => {
    const before = site("so-tai-chinh");
    const port = before.port;
    const latest = before.truth.latestPublished!;
    const home = await get(before.baseUrl);
    farm.setReferenceDate("2026-09-22");
    expect(farm.referenceDate).toBe("2026-09-22");
    const after = site("so-tai-chinh");
    expect(after.port).toBe(port);
    expect(after.truth.latestPublished! > latest).toBe(true);
    expect(after.truth.latestPublished! <= "2026-09-22").toBe(true);
    expect(after.truth.latestPublished! >= addDays(latest, 7)).toBe(true);
    expect((await get(after.baseUrl)).body).not.toBe(home.body);
    farm.setReferenceDate("2026-09-08");
    expect((await get(after.baseUrl)).body).toBe(home.body);
    expect(() => farm.setReferenceDate("2026-02-30")).toThrow();
  });

  it("setOverride empties a category, takes a site down, and null restores it", async () => {
    const s = site("so-tai-chinh");
    const cat = s.truth.categories["gioi-thieu"];
    expect(cat.status).toBe("present");
    const page = await get(new URL(cat.url!, s.baseUrl).href);
    farm.setOverride("so-tai-chinh", { emptyCategory: "gioi-thieu" });
    expect(site("so-tai-chinh").truth.categories["gioi-thieu"].status).toBe("empty");
    const emptied = await get(new URL(cat.url!, s.baseUrl).href);
    expect(emptied.status).toBe(200);
    expect(emptied.body).not.toBe(page.body);
    // Other sites are untouched.
    expect(site("so-y-te").truth.categories["gioi-thieu"].status).toBe("present");

    farm.setOverride("so-tai-chinh", { down: true });
    await expect(fetch(s.baseUrl)).rejects.toThrow();

    farm.setOverride("so-tai-chinh", null);
    expect(site("so-tai-chinh").truth.categories["gioi-thieu"].status).toBe("present");
    expect((await get(new URL(cat.url!, s.baseUrl).href)).body).toBe(page.body);
    expect(() => farm.setOverride("khong-co", { down: true })).toThrow();
  });
});
