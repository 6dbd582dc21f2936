// Files as HTTP downloads (RFC 6266 file name, UTF-8 safe).
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function downloadResponse(fileName: string, content: Buffer, contentType: string): Response {
  const ascii = fileName.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").replace(/[^\x20-\x7e]|["\\]/g, "_");
  return new Response(new Uint8Array(content), {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "private, no-store",
    },
  });
}

export function xlsxResponse(fileName: string, content: Buffer): Response {
  return downloadResponse(fileName, content, XLSX_TYPE);
}
