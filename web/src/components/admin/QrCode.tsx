import qrcode from "qrcode-generator";

/** The dark modules of a QR code for `text` as one SVG path (drawn client-side, no network, CSP-safe). */
export function qrPath(text: string): { size: number; d: string } {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const n = qr.getModuleCount();
  let d = "";
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (qr.isDark(y, x)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
  return { size: n + 8, d };
}

export function QrCode({ text, label, px = 220 }: { text: string; label: string; px?: number }) {
  const { size, d } = qrPath(text);
  return (
    <svg className="qr" role="img" aria-label={label} width={px} height={px} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
