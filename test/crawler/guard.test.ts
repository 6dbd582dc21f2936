// Target safety: the guard's decisions, and redirects from an allowed loopback site to
// targets that are not allowed — refused before any connection is made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { addressRefusal, checkTarget, guardedLookup, urlRefusal } from "../../crawler/fetch/ssrf.ts";
import { startServer, html, type TestServer } from "./helpers.ts";

describe("address decisions", () => {
  it("refuses private, loopback, link-local, unique-local, unspecified and multicast addresses", () => {
    for (const a of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "::1", "fc00::1", "fd12::5", "::ffff:127.0.0.1", "::ffff:10.1.2.3"]) {
      expect(addressRefusal(a, false), a).not.toBeNull();
    }
    for (const a of ["169.254.169.254", "169.254.0.1", "0.0.0.0", "224.0.0.1", "239.1.1.1", "fe80::1", "ff02::1", "::"]) {
      expect(addressRefusal(a, false), a).not.toBeNull();
      // Never allowed, not even for sites that may use private addresses.
      expect(addressRefusal(a, true), a).not.toBeNull();
    }
  });

  it("allows loopback and private addresses only for sites with allow_private", () => {
    expect(addressRefusal("127.0.0.1", true)).toBeNull();
    expect(addressRefusal("10.0.0.1", true)).toBeNull();
    expect(addressRefusal("::1", true)).toBeNull();
  });

  it("allows public addresses (decision only, nothing is sent)", () => {
    expect(addressRefusal("203.162.4.190", false)).toBeNull();
    expect(addressRefusal("2001:db8::1", false)).toBeNull();
  });

  it("refuses hosts that are not registered, other schemes and credentials", () => {
    const policy = { allowedHosts: ["sotp.binhdinh.gov.vn"], allowPrivate: false };
    expect(urlRefusal(new URL("https://sotp.binhdinh.gov.vn/a"), policy)).toBeNull();
    expect(urlRefusal(new URL("https://evil.example/a"), policy)).toMatch(/không thuộc/);
    expect(urlRefusal(new URL("http://169.254.169.254/latest/meta-data/"), policy)).not.toBeNull();
    expect(urlRefusal(new URL("ftp://sotp.binhdinh.gov.vn/"), policy)).not.toBeNull();
    expect(urlRefusal(new URL("https://user:pw@sotp.binhdinh.gov.vn/"), policy)).not.toBeNull();
    // A registered literal private address is still refused without allow_private.
    expect(urlRefusal(new URL("http://10.0.0.1/"), { allowedHosts: ["10.0.0.1"], allowPrivate: false })).toMatch(/nội bộ/);
    // host:port entries match that port only.
    const withPort = { allowedHosts: ["127.0.0.1:8080"], allowPrivate: true };
    expect(urlRefusal(new URL("http://127.0.0.1:8080/x"), withPort)).toBeNull();
    expect(urlRefusal(new URL("http://127.0.0.1:8081/x"), withPort)).not.toBeNull();
  });

  it("resolves names and refuses one that points at loopback", async () => {
    const why = await checkTarget(new URL("http://localhost/"), { allowedHosts: ["localhost"], allowPrivate: false });
    expect(why).toMatch(/loopback|nội bộ/);
    expect(await checkTarget(new URL("http://localhost/"), { allowedHosts: ["localhost"], allowPrivate: true })).toBeNull();
  });

  it("refuses at connect time through the socket lookup (no DNS rebinding window)", async () => {
    const lookup = guardedLookup(false);
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup("localhost", { all: true }, (e) => resolve(e)));
    expect(err?.code).toBe("ERR_TARGET_BLOCKED");
    const ok = await new Promise<unknown>((resolve) => guardedLookup(true)("localhost", { all: true }, (e, a) => resolve(e ?? a)));
    expect(Array.isArray(ok)).toBe(true);
  });
});

describe("redirects from an allowed loopback site", () => {
  let site: TestServer;
  let other: TestServer;
  const fetcher = new Fetcher({ totalTimeoutMs: 3000 });
  beforeAll(async () => {
    other = await startServer((_req, res) => html(res, "<p>should never be reached</p>"));
    site = await startServer((req, res) => {
      const to: Record<string, string> = {
        "/meta": "http://169.254.169.254/latest/meta-data/",
        "/ten": "http://10.0.0.1/admin",
        "/loopback": `http://127.0.0.1:${other.port}/secret`,
        "/localhost": `http://localhost:${other.port}/secret`,
      };
      const target = to[req.url ?? ""];
      if (target) {
        res.writeHead(302, { location: target });
        res.end();
      } else html(res, "<p>ok</p>");
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await site.close();
    await other.close();
  });

  it("refuses each disallowed target without connecting to it", async () => {
    const policy = { allowedHosts: [site.host], allowPrivate: true };
    for (const path of ["/meta", "/ten", "/loopback"]) {
      const page = await fetcher.fetch(`${site.url.slice(0, -1)}${path}`, { policy });
      expect(page.errorCode, path).toBe("blocked");
      expect(page.status).toBe(0);
      expect(page.redirects).toHaveLength(1);
    }
    expect(other.hits).toHaveLength(0);
  });

  it("refuses a registered name that resolves to loopback when the site may not use private addresses", async () => {
    const policy = { allowedHosts: [site.host, "localhost"], allowPrivate: false };
    const page = await fetcher.fetch(`http://localhost:${other.port}/secret`, { policy });
    expect(page.errorCode).toBe("blocked");
    expect(other.hits).toHaveLength(0);
  });

  it("refuses the loopback start page of a site without allow_private", async () => {
    const page = await fetcher.fetch(site.url, { policy: { allowedHosts: [site.host], allowPrivate: false } });
    expect(page.errorCode).toBe("blocked");
    expect(site.hits.filter((h) => h.path === "/")).toHaveLength(0);
  });
});
