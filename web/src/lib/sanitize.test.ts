import { describe, expect, it } from "vitest";
import { markdownToHtml, sanitizeHtml, stripReplyFallbackText } from "./sanitize";

describe("sanitizeHtml", () => {
  it("keeps the safe formatting subset", () => {
    const html = "<b>fett</b> <em>kursiv</em> <code>x</code><ul><li>eins</li></ul><ol start=\"3\"><li>drei</li></ol>";
    expect(sanitizeHtml(html)).toBe(html);
  });
  it("removes scripts, event handlers, styles and images", () => {
    const out = sanitizeHtml('<p onclick="alert(1)" style="color:red">hi<script>alert(1)</script><img src=x onerror=alert(1)><style>body{}</style></p>');
    expect(out).toBe("<p>hi</p>");
  });
  it("removes javascript: links but keeps safe links with rel and target", () => {
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toBe("<a>x</a>");
    const safe = sanitizeHtml('<a href="https://example.org/a">ok</a>');
    expect(safe).toContain('href="https://example.org/a"');
    expect(safe).toContain('rel="noopener noreferrer nofollow"');
    expect(safe).toContain('target="_blank"');
  });
  it("keeps the text of unknown tags and drops iframes entirely", () => {
    expect(sanitizeHtml("<font color=red>rot</font><iframe src=x>inner</iframe>")).toBe("rot");
  });
  it("strips the mx-reply fallback", () => {
    expect(sanitizeHtml("<mx-reply><blockquote>old</blockquote></mx-reply>neu")).toBe("neu");
  });
  it("survives mutation-XSS style nesting", () => {
    const out = sanitizeHtml('<svg><p><style><img src=x onerror=alert(1)></style></p></svg>');
    expect(out).not.toMatch(/onerror|<img|<svg/);
  });
});

describe("stripReplyFallbackText", () => {
  it("removes quoted fallback lines", () => {
    expect(stripReplyFallbackText("> <@a:x> frage\n> zweite\n\nantwort")).toBe("antwort");
    expect(stripReplyFallbackText("normal")).toBe("normal");
  });
});

describe("markdownToHtml", () => {
  it("returns null for plain text", () => {
    expect(markdownToHtml("Hallo Welt\nZeile 2")).toBeNull();
  });
  it("converts bold, italic, code and links", () => {
    expect(markdownToHtml("**fett** und _kursiv_ und `a<b`")).toBe("<strong>fett</strong> und <em>kursiv</em> und <code>a&lt;b</code>");
    expect(markdownToHtml("siehe https://example.org/x.")).toBe('siehe <a href="https://example.org/x">https://example.org/x</a>.');
  });
  it("converts lists and code blocks", () => {
    expect(markdownToHtml("Liste:\n- eins\n- zwei")).toBe("Liste:<ul><li>eins</li><li>zwei</li></ul>");
    expect(markdownToHtml("1. a\n2. b")).toBe("<ol><li>a</li><li>b</li></ol>");
    expect(markdownToHtml("```\n<x>\n```")).toBe("<pre><code>&lt;x&gt;</code></pre>");
  });
  it("escapes HTML typed by the user", () => {
    expect(markdownToHtml("**<script>**")).toBe("<strong>&lt;script&gt;</strong>");
  });
  it("output passes through the sanitiser unchanged", () => {
    const html = markdownToHtml("**a** [link](https://example.org)\n- x")!;
    expect(sanitizeHtml(html).replace(/ target="_blank" rel="noopener noreferrer nofollow"/g, "")).toBe(html);
  });
});
