import DOMPurify from "dompurify";

/**
 * The safe subset of HTML that Amtsbote renders from `formatted_body` (org.matrix.custom.html).
 * Everything else is removed; the text of unknown elements is kept, except for script/style-like elements.
 */
export const ALLOWED_TAGS = [
  "b", "strong", "i", "em", "u", "s", "del", "strike", "code", "pre", "blockquote",
  "p", "br", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "span", "sup", "sub", "hr",
];
const ALLOWED_ATTR = ["href", "start"];
const SAFE_SCHEMES = /^(https?:|mailto:|tel:)/i;

let hooked = false;
function installHooks(purify: typeof DOMPurify): void {
  if (hooked) return;
  hooked = true;
  purify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      const href = node.getAttribute("href");
      if (href && !SAFE_SCHEMES.test(href.trim())) node.removeAttribute("href");
      if (node.hasAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer nofollow");
      }
    }
  });
}

/** Removes the reply fallback that older clients put in front of replies (spec: mx-reply). */
export function stripReplyFallbackHtml(html: string): string {
  return html.replace(/^\s*<mx-reply>[\s\S]*?<\/mx-reply>/i, "");
}

/** Removes "> <@user> quoted" lines that form a plain-text reply fallback. */
export function stripReplyFallbackText(body: string): string {
  const lines = body.split("\n");
  if (!lines[0]?.startsWith("> ")) return body;
  let i = 0;
  while (i < lines.length && lines[i].startsWith(">")) i++;
  if (i < lines.length && lines[i] === "") i++;
  return lines.slice(i).join("\n");
}

/** Sanitises Matrix `formatted_body` HTML to the safe subset. Returns an HTML string safe to insert. */
export function sanitizeHtml(html: string): string {
  installHooks(DOMPurify);
  return DOMPurify.sanitize(stripReplyFallbackHtml(html), {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    FORBID_TAGS: ["style", "script", "iframe", "object", "embed", "form", "input", "img", "svg", "math"],
    KEEP_CONTENT: true,
    RETURN_TRUSTED_TYPE: false,
  }) as string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function inline(text: string): string {
  // Code spans first, so their content is not formatted further.
  const parts = text.split(/(`[^`]+`)/g);
  return parts
    .map((part) => {
      if (/^`[^`]+`$/.test(part)) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      let s = escapeHtml(part);
      s = s.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) => `<a href="${url}">${label}</a>`);
      s = s.replace(/(^|[\s(])(https?:\/\/[^\s<]+[^\s<.,;:!?)])/g, (_m, pre: string, url: string) => `${pre}<a href="${url}">${url}</a>`);
      s = s.replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>");
      s = s.replace(/(^|[^\w*])\*([^*\n]+)\*(?!\w)/g, "$1<em>$2</em>");
      s = s.replace(/(^|[^\w])_([^_\n]+)_(?!\w)/g, "$1<em>$2</em>");
      s = s.replace(/~~([^~\n]+)~~/g, "<del>$1</del>");
      return s;
    })
    .join("");
}

/**
 * Converts the small Markdown subset of the composer (bold, italic, code, code blocks, links, lists) to HTML.
 * Returns null when the message has no formatting, so it is sent as plain text only.
 */
export function markdownToHtml(text: string): string | null {
  const out: string[] = [];
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("```")) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].startsWith("```")) code.push(lines[i++]);
      i++;
      out.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
      continue;
    }
    const ul = /^\s*[-*]\s+(.*)$/;
    const ol = /^\s*\d+[.)]\s+(.*)$/;
    if (ul.test(line) || ol.test(line)) {
      const re = ul.test(line) ? ul : ol;
      const tag = re === ul ? "ul" : "ol";
      const items: string[] = [];
      while (i < lines.length && re.test(lines[i])) items.push(`<li>${inline(lines[i++].match(re)![1])}</li>`);
      out.push(`<${tag}>${items.join("")}</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !lines[i].startsWith("```") && !ul.test(lines[i]) && !ol.test(lines[i])) para.push(inline(lines[i++]));
    out.push(para.join("<br>"));
  }
  const html = out.join("");
  const plain = escapeHtml(text).replace(/\n/g, "<br>");
  return html === plain ? null : html;
}
