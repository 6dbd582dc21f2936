// Thông tư 22/2023/TT-BTTTT (issue 14 §1): EMC present, absent and misplaced; each required
// home-page link present and missing; the rule set in force on the audit's day decides.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import { ruleSetFor } from "../../crawler/catalog/rulesets.ts";
import { HOME_LINK_RULES } from "../../crawler/catalog/tt22-2023.ts";
import { findEmcMarkers } from "../../crawler/checks/emc.ts";
import { parentDomain } from "../../crawler/checks/home-links.ts";
import type { FetchedPage, SiteSnapshot } from "../../crawler/types.ts";
import { startFarm, type Farm } from "../farm/index.ts";
import { buildTt22Site, tt22Specs, tt22Truth, type Tt22Spec } from "../farm/tt22.ts";

const ORIGIN = "http://127.0.0.1:44100";

function snapshotOf(spec: Tt22Spec, day: string, origin = ORIGIN): SiteSnapshot {
  const at = new Date(`${day}T03:00:00Z`);
  const pages: FetchedPage[] = [...buildTt22Site(spec)].map(([path, r]) => ({
    url: origin + path,
    finalUrl: origin + path,
    status: r.status,
    headers: r.headers,
    body: r.body,
    fetchedAt: at,
    kind: path === "/" ? "home" : path === "/robots.txt" ? "robots" : "category",
  }));
  return { baseUrl: `${origin}/`, pages, referenceTime: at, unitType: spec.unitType, unitName: spec.name };
}

const codes = (r: ReturnType<typeof runSiteChecks>, prefix: string) => r.findings.filter((f) => f.code.startsWith(prefix)).map((f) => f.code).sort();
const spec = (id: string) => tt22Specs().find((s) => s.id === id)!;

describe("rule set versions by legal basis and effective date", () => {
  it("keep the earlier versions and add TT 22/2023 from 05/04/2024, EMC required from 05/04/2025", () => {
    expect(ruleSetFor("2022-08-15").id).toBe("nd42-2022");
    expect(ruleSetFor("2024-04-04").id).toBe("nd42-2022");
    expect(ruleSetFor("2024-04-05").id).toBe("nd42-tt22-2024");
    expect(ruleSetFor("2025-04-04").site.emc?.stage).toBe("transitional");
    expect(ruleSetFor("2025-04-05").site.emc?.stage).toBe("required");
    expect(ruleSetFor("2024-04-04").site.emc).toBeNull();
    expect(ruleSetFor("2024-04-04").site.homeLinks).toEqual([]);
    // A Date is read as the day in Vietnam: 05/04/2024 00:30 (UTC+7) is already TT 22/2023.
    expect(ruleSetFor(new Date("2024-04-04T17:30:00Z")).id).toBe("nd42-tt22-2024");
  });

  it("check an audit of before 05/04/2024 under TT 32/2017: no EMC or home-link finding", () => {
    const r = runSiteChecks(snapshotOf(spec("tt22-emc-khong-co"), "2024-03-20"));
    expect(codes(r, "emc.")).toEqual([]);
    expect(codes(r, "home-links.")).toEqual([]);
    expect(r.metrics.homeLinks).toEqual({ required: 0, present: 0 });
    // The metrics are measured whatever the date; only the rubric in force scores them.
    expect(r.metrics.emc).toMatchObject({ script: false, label: false });
  });

  it("report EMC as a warning during the transition and as an error after it; identity cites the circular in force", () => {
    const s = { ...spec("tt22-emc-khong-co") };
    const during = runSiteChecks(snapshotOf(s, "2024-06-10"));
    const after = runSiteChecks(snapshotOf(s, "2025-06-10"));
    expect(during.findings.find((f) => f.code === "emc.missing")?.severity).toBe("warning");
    expect(after.findings.find((f) => f.code === "emc.missing")?.severity).toBe("error");
    expect(after.findings.find((f) => f.code === "emc.missing")?.message).toMatch(/Thông tư 22\/2023\/TT-BTTTT/);
    expect((during.ruleSet as { id: string }).id).toBe("nd42-tt22-2024");
  });
});

describe("EMC monitoring code and label (farm sites, in-process)", () => {
  for (const s of tt22Specs().filter((x) => x.id.startsWith("tt22-emc-"))) {
    it(`${s.id}: ${JSON.stringify(tt22Truth(s).emcFindings)}`, () => {
      const truth = tt22Truth(s);
      const r = runSiteChecks(snapshotOf(s, "2026-11-20"));
      expect(r.metrics.emc).toMatchObject(truth.emc);
      expect(codes(r, "emc.")).toEqual(truth.emcFindings);
    });
  }

  it("take the EMC pattern for data: the tín nhiệm mạng badge is not the EMC label, an inline loader is a code", () => {
    expect(findEmcMarkers(`<footer><a href="https://tinnhiemmang.vn/danh-ba-tin-nhiem/x"><img src="https://tinnhiemmang.vn/handle_cert?id=x.gov.vn" alt="Chứng nhận Tín Nhiệm Mạng"></a></footer>`).label).toBeNull();
    expect(findEmcMarkers(`<script>(function(){var s=document.createElement('script');s.src='https://emc.gov.vn/js/tracking.js';document.head.appendChild(s)})()</script>`).script).not.toBeNull();
    expect(findEmcMarkers(`<script src="/js/jquery.min.js"></script><p>Hệ thống EMC là gì?</p>`)).toEqual({ script: null, label: null, labelInFooter: false });
  });
});

describe("required home-page links (farm sites, in-process)", () => {
  it("a Sở with every link: none missing", () => {
    const r = runSiteChecks(snapshotOf(spec("tt22-emc-day-du"), "2026-11-20"));
    expect(r.metrics.homeLinks).toEqual({ required: 3, present: 3 });
    expect(codes(r, "home-links.")).toEqual([]);
  });

  for (const s of tt22Specs().filter((x) => x.missingLinks.length)) {
    it(`${s.id}: the missing link is reported, the others are found`, () => {
      const truth = tt22Truth(s);
      const r = runSiteChecks(snapshotOf(s, "2026-11-20"));
      expect(r.metrics.homeLinks).toEqual({ required: truth.requiredLinks.length, present: truth.requiredLinks.length - truth.missingLinks.length });
      const missing = r.findings.filter((f) => f.code === "home-links.missing").map((f) => f.details?.linkId);
      expect(missing).toEqual(truth.missingLinks);
      const rule = HOME_LINK_RULES.find((x) => x.id === truth.missingLinks[0])!;
      expect(r.findings.find((f) => f.code === "home-links.missing")?.message).toContain(rule.label);
    });
  }

  it("the provincial portal requires the Government portal, a component site the provincial portal", () => {
    const portal = runSiteChecks(snapshotOf(spec("tt22-cong-tinh"), "2026-11-20"));
    expect(portal.metrics.homeLinks).toEqual({ required: 3, present: 3 });
    expect((portal.homeLinks as { id: string }[]).map((l) => l.id)).toContain("cong-thong-tin-chinh-phu");
    expect(parentDomain("sotp.gialai.gov.vn")).toBe("gialai.gov.vn");
    expect(parentDomain("gialai.gov.vn")).toBeNull();
    expect(parentDomain("127.0.0.1")).toBeNull();
  });
});

describe("TT 22/2023 sites served by the farm", () => {
  let farm: Farm;
  beforeAll(async () => {
    farm = await startFarm({ tt22: true });
  });
  afterAll(async () => {
    await farm?.close();
  });

  it("are fetched over loopback and checked like any site", async () => {
    for (const s of tt22Specs()) {
      const base = farm.siteUrl(s.id);
      const origin = base.replace(/\/$/, "");
      const at = new Date("2026-11-20T03:00:00Z");
      const pages: FetchedPage[] = [];
      for (const path of ["/", "/gioi-thieu", "/lien-he"]) {
        const res = await fetch(origin + path);
        const headers = Object.fromEntries([...res.headers].map(([k, v]) => [k.toLowerCase(), v]));
        pages.push({ url: origin + path, finalUrl: origin + path, status: res.status, headers, body: Buffer.from(await res.arrayBuffer()), fetchedAt: at, kind: path === "/" ? "home" : "category" });
      }
      const r = runSiteChecks({ baseUrl: base, pages, referenceTime: at, unitType: s.unitType, unitName: s.name });
      const truth = tt22Truth(s);
      expect(codes(r, "emc."), s.id).toEqual(truth.emcFindings);
      expect(r.findings.filter((f) => f.code === "home-links.missing").map((f) => f.details?.linkId), s.id).toEqual(truth.missingLinks);
    }
  });
});
