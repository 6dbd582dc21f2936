// Target safety: the guard's decisions, and redirects from an allowed loopback site to
// targets that are not allowed — refused before any connection is made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { addressRefusal, checkTarget, guardedLookup, urlRefusal } from "../../crawler/fetch/ssrf.ts";
import { loadChecks } from "../../crawler/audit/checks-adapter.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { findChromium, Renderer } from "../../crawler/render/renderer.ts";
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

// The renderer: every request Chromium makes goes through the same policy. A canary on a
// loopback port the site may not reach counts every connection; a hostile page tries each
// request kind. The canary must see nothing, and nothing of it may end up in the results.
describe.skipIf(!findChromium())("the renderer's requests", () => {
  const SECRET = "CANARY-SECRET-internal-page";
  let canary: TestServer;
  let canaryConnections = 0;
  let site: TestServer;
  let renderer: Renderer;
  const fetcher = new Fetcher({ totalTimeoutMs: 5000 });

  beforeAll(async () => {
    // Every TCP connection counts, so that WebSocket and CONNECT attempts are seen too.
    canary = await startServer((_req, res) => html(res, `<h1>${SECRET}</h1>`, {}), () => canaryConnections++);
    const c = `127.0.0.1:${canary.port}`;
    canaryConnections = 0;
    site = await startServer((req, res) => {
      const p = (req.url ?? "/").split("?")[0];
      const redirect = (to: string) => {
        res.writeHead(302, { location: to });
        res.end();
      };
      switch (p) {
        case "/redirect":
          return redirect(`http://${c}/redirect`);
        case "/redirect-localhost":
          return redirect(`http://localhost:${canary.port}/redirect-localhost`);
        case "/sub-redirect":
          return redirect(`http://${c}/sub-redirect`);
        case "/worker.js":
          res.writeHead(200, { "content-type": "text/javascript" });
          return void res.end(
            `fetch("http://${c}/worker-fetch").catch(()=>{});` +
              `fetch("/sub-redirect?w").catch(()=>{});` +
              `try { importScripts("http://${c}/worker-import"); } catch (e) {}` +
              `try { new WebSocket("ws://${c}/worker-ws"); } catch (e) {}`,
          );
        case "/sw.js":
          res.writeHead(200, { "content-type": "text/javascript" });
          return void res.end(`self.addEventListener("install", () => fetch("http://${c}/sw-fetch"));`);
        case "/":
          return html(
            res,
            `<h1>Trang thử</h1>
<img src="http://${c}/img"><link rel="stylesheet" href="http://${c}/css"><script src="http://${c}/script"></script>
<iframe src="http://${c}/iframe"></iframe><iframe src="/redirect"></iframe>
<iframe srcdoc="<script>fetch('http://${c}/srcdoc-fetch').catch(()=>{})</script>"></iframe>
<script>
fetch("http://${c}/fetch").catch(() => {});
fetch("/sub-redirect").catch(() => {});
fetch("http://localhost:${canary.port}/fetch-localhost").catch(() => {});
const x = new XMLHttpRequest(); x.open("GET", "http://${c}/xhr"); x.send();
navigator.sendBeacon("http://${c}/beacon", "x");
try { new WebSocket("ws://${c}/ws"); } catch (e) {}
try { new WebSocket("ws://localhost:${canary.port}/ws-localhost"); } catch (e) {}
try { new EventSource("http://${c}/sse"); } catch (e) {}
try { new Worker("/worker.js"); } catch (e) {}
try { new SharedWorker("/worker.js?shared"); } catch (e) {}
try { navigator.serviceWorker && navigator.serviceWorker.register("/sw.js").catch(() => {}); } catch (e) {}
try { const pc = new RTCPeerConnection({ iceServers: [{ urls: "stun:${c}" }] }); pc.createDataChannel("x"); pc.createOffer().then((o) => pc.setLocalDescription(o)); } catch (e) {}
</script>`,
          );
        default:
          return html(res, "<p>ok</p>");
      }
    });
    renderer = new Renderer({ maxPages: 1, timeoutMs: 10_000, axeTimeoutMs: 15_000 });
  });
  afterAll(async () => {
    await renderer?.close();
    await fetcher.close();
    await site?.close();
    await canary?.close();
  });

  const policy = () => ({ allowedHosts: [site.host], allowPrivate: true });

  it("lets no request kind reach the canary: subresources, iframes, workers, fetch, XHR, beacons, WebSockets", async () => {
    const out = await renderer.tryRender(site.url, policy(), { axe: true });
    expect(out.ok, out.ok ? "" : out.reason).toBe(true);
    // Give late requests (beacons, workers, WebSocket retries) time to be made.
    await new Promise((r) => setTimeout(r, 1500));
    expect(canary.hits.map((h) => h.path)).toEqual([]);
    expect(canaryConnections).toBe(0);
    if (out.ok) {
      expect(out.html).not.toContain(SECRET);
      // The refusals were made by the guard for the kinds that reach the network.
      const refused = (out.refused ?? []).map((r) => r.url).join(" ");
      expect(refused).toContain("/sub-redirect");
      expect(refused).toMatch(/CONNECT 127\.0\.0\.1:\d+|CONNECT localhost/);
    }
  }, 120_000);

  it("refuses a redirect of the page itself to a forbidden port, and says why", async () => {
    const out = await renderer.tryRender(`${site.url}redirect`, policy());
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.code).toBe("blocked");
      expect(out.reason).toMatch(/không được phép|không thuộc/);
    }
    expect(canary.hits).toEqual([]);
  }, 30_000);

  it("resolves names in the guard: a registered name pointing at loopback is refused without allow_private", async () => {
    // A name (not a literal IP) passes the pre-connection check; only resolution shows it is
    // loopback. Chromium may not resolve it itself.
    const out = await renderer.tryRender(`http://localhost:${canary.port}/named`, { allowedHosts: [`localhost:${canary.port}`], allowPrivate: false });
    expect(out.ok).toBe(false);
    expect(canary.hits).toEqual([]);
  }, 30_000);

  it("stores nothing of the canary when the audit renders the hostile site", async () => {
    const checks = await loadChecks();
    const r = await crawlSite({ baseUrl: `${site.url}redirect`, allowPrivate: true, allowedHosts: [site.host], fetcher, renderer, checks, maxPages: 5, renderMode: "always" });
    const r2 = await crawlSite({ baseUrl: site.url, allowPrivate: true, fetcher, renderer, checks, maxPages: 5, renderMode: "always" });
    for (const res of [r, r2]) {
      const stored = JSON.stringify({ pages: res.pages.map((p) => ({ title: p.title, html: p.renderedHtml, err: p.renderError })), findings: res.findings, snapshot: res.snapshot });
      expect(stored).not.toContain(SECRET);
    }
    expect(canary.hits).toEqual([]);
  }, 120_000);
});
