// URL normalisation so that one page is fetched once: no fragment, no session ids or
// tracking parameters, default ports dropped, host lower-cased, query sorted, and a
// single trailing-slash policy (kept only for the root path).
const SESSION_PARAMS = new Set(["phpsessid", "jsessionid", "sid", "sessionid", "aspsessionid", "cfid", "cftoken", "zenid", "osCsid".toLowerCase()]);
const TRACKING_PARAMS = new Set(["fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl", "zarsrc", "igshid"]);

function isDroppedParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith("utm_") || SESSION_PARAMS.has(n) || TRACKING_PARAMS.has(n);
}

/** Normalises an absolute or relative URL against base; null when it is not http(s). */
export function normalizeUrl(href: string, base?: string | URL): string | null {
  let url: URL;
  try {
    url = base ? new URL(href.trim(), base) : new URL(href.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  // The WHATWG parser already lower-cases the host and drops default ports; each setter below
  // re-serialises the URL, so only touch what needs changing.
  if (url.hash) url.hash = "";
  if (url.username || url.password) {
    url.username = "";
    url.password = "";
  }
  // ";jsessionid=..." path parameters.
  if (url.pathname.includes(";")) url.pathname = url.pathname.replace(/;(jsessionid|phpsessid|sid)=[^/?#]*/gi, "");
  if (url.hostname.endsWith(".")) url.hostname = url.hostname.replace(/\.$/, "");
  if (url.search) {
    const kept = [...url.searchParams.entries()].filter(([k]) => !isDroppedParam(k));
    kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    url.search = kept.length ? new URLSearchParams(kept).toString() : "";
  }
  if (url.pathname.length > 1 && url.pathname.endsWith("/")) url.pathname = url.pathname.replace(/\/+$/, "");
  return url.toString();
}

const INDEX_FILE = /\/(?:index|default)\.(?:html?|php|aspx?|jsp|shtml)$/i;

/**
 * The key under which a page is fetched once: its normalised URL without a directory index file
 * ("/gioi-thieu/index.html" = "/gioi-thieu", "/Default.aspx" = "/"). The fetch itself uses the
 * URL as linked.
 */
export function pageKey(url: string): string {
  // Frontier URLs are normalised already (normalizeUrl): only the fragment and the index file
  // may remain to strip. This runs for every link of every page: no URL parsing here.
  const hash = url.indexOf("#");
  let n = hash < 0 ? url : url.slice(0, hash);
  if (n.length > 1 && n.endsWith("/") && !/^https?:\/\/[^/]+\/$/i.test(n)) n = n.replace(/\/+$/, "");
  const q = n.indexOf("?");
  const path = q < 0 ? n : n.slice(0, q);
  if (!INDEX_FILE.test(path)) return n;
  const stripped = path.replace(INDEX_FILE, "");
  const withRoot = /^https?:\/\/[^/]+$/i.test(stripped) ? stripped + "/" : stripped;
  return withRoot + (q < 0 ? "" : n.slice(q));
}

const NON_HTML_EXT = /\.(pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|7z|gz|tgz|jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp3|mp4|avi|mov|wmv|flv|webm|css|js|json|woff2?|ttf|eot|exe|apk|dmg|iso)$/i;

/** Document/binary links are evidence (listed by the page), not pages to fetch. */
export function fetchablePath(pathname: string): boolean {
  return !NON_HTML_EXT.test(pathname);
}

export function looksFetchable(url: string): boolean {
  try {
    return fetchablePath(new URL(url).pathname);
  } catch {
    return false;
  }
}

export function isDocumentLink(url: string): boolean {
  try {
    return /\.(pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar)$/i.test(new URL(url).pathname);
  } catch {
    return false;
  }
}
