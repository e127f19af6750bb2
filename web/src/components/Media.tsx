import { useEffect, useRef, useState } from "react";
import type { MatrixClient } from "matrix-js-sdk";
import { contentBlobUrl, mediaBlobUrl } from "../matrix";
import { formatSize, t } from "../i18n";
import { Icon } from "./Icons";
import { audioDetails, formatDuration, normaliseWaveform } from "../lib/voice";

export function useMxc(client: MatrixClient, mxc: string | undefined | null, thumb?: { w: number; h: number }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState(false);
  const tw = thumb?.w;
  const th = thumb?.h;
  useEffect(() => {
    setUrl(null);
    setError(false);
    if (!mxc || !mxc.startsWith("mxc://")) return;
    let live = true;
    mediaBlobUrl(client, mxc, tw && th ? { w: tw, h: th } : undefined)
      .then((u) => live && setUrl(u))
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
  }, [client, mxc, tw, th]);
  return { url, error };
}

/** Like useMxc, for a message's media (plain or an encrypted attachment). */
export function useContentMedia(client: MatrixClient, content: Record<string, any>, thumb?: { w: number; h: number }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState(false);
  const source = content.file?.url ?? content.url;
  const tw = thumb?.w;
  const th = thumb?.h;
  useEffect(() => {
    setUrl(null);
    setError(false);
    if (typeof source !== "string" || !source.startsWith("mxc://")) return;
    let live = true;
    contentBlobUrl(client, content, tw && th ? { w: tw, h: th } : undefined)
      .then((u) => live && setUrl(u))
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
  }, [client, source, tw, th]);
  return { url, error };
}

const COLORS = ["#1f5f8b", "#7a3b8f", "#8a4b08", "#2e6b30", "#a12a4a", "#245a5a", "#5b4a9e", "#6b5b16"];
function colorFor(id: string): string {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) | 0;
  return COLORS[Math.abs(h) % COLORS.length];
}

export function initials(name: string): string {
  const words = name.replace(/^[@#!]/, "").split(/[\s._-]+/).filter(Boolean);
  const s = (words[0]?.[0] ?? "?") + (words.length > 1 ? words[words.length - 1][0] : "");
  return s.toUpperCase();
}

/** Decorative avatar: the name is always shown or announced next to it. */
export function Avatar({ client, mxc, name, id, size = 40 }: { client: MatrixClient; mxc?: string | null; name: string; id: string; size?: number }) {
  const { url } = useMxc(client, mxc, { w: 96, h: 96 });
  return (
    <span
      className="avatar"
      aria-hidden="true"
      data-initials={url ? undefined : initials(name)}
      style={{ width: size, height: size, background: url ? undefined : colorFor(id), fontSize: size * 0.4 }}
    >
      {url && <img src={url} alt="" width={size} height={size} />}
    </span>
  );
}

export function ImageMessage({ client, content, onOpen }: { client: MatrixClient; content: Record<string, any>; onOpen: (url: string, name: string) => void }) {
  const { url, error } = useContentMedia(client, content, { w: 640, h: 480 });
  const w = content.info?.w;
  const h = content.info?.h;
  const ratio = w && h ? `${w} / ${h}` : undefined;
  const name = content.filename ?? content.body ?? t("msg.image");
  if (error) return <p className="media-error">{t("msg.mediaError")}</p>;
  return (
    <button
      type="button"
      className="image-msg"
      style={{ aspectRatio: ratio }}
      aria-label={t("msg.openImage", { name })}
      onClick={async () => onOpen(await contentBlobUrl(client, content), name)}
      disabled={!url}
    >
      {url ? <img src={url} alt={name} /> : <span className="media-loading">{t("msg.loadingMedia")}</span>}
    </button>
  );
}

export function FileMessage({ client, content }: { client: MatrixClient; content: Record<string, any> }) {
  const name = content.filename ?? content.body ?? t("msg.file");
  const size = typeof content.info?.size === "number" ? formatSize(content.info.size) : "";
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(false);
    try {
      const url = await contentBlobUrl(client, content);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="file-card">
      <span className="file-icon"><Icon name="file" size={32} /></span>
      <span className="file-meta">
        <span className="file-name">{name}</span>
        <span className="file-size">{size}</span>
        {error && <span className="media-error">{t("msg.mediaError")}</span>}
      </span>
      <button type="button" className="btn small" onClick={download} disabled={busy} aria-label={t("msg.download", { name, size })}>
        <Icon name="download" />
      </button>
    </div>
  );
}

export function Waveform({ bars, progress }: { bars: number[]; progress: number }) {
  return (
    <span className="waveform" aria-hidden="true">
      {bars.map((v, i) => (
        <span key={i} className={i / bars.length < progress ? "bar played" : "bar"} style={{ height: `${Math.max(8, v * 100)}%` }} />
      ))}
    </span>
  );
}

export function VoiceMessage({ client, content }: { client: MatrixClient; content: Record<string, any> }) {
  const { durationMs, waveform } = audioDetails(content);
  const bars = normaliseWaveform(waveform, 32);
  const { url, error } = useContentMedia(client, content);
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [pos, setPos] = useState(0);
  const total = durationMs || 0;
  const toggle = () => {
    const a = audio.current;
    if (!a) return;
    if (a.paused) void a.play();
    else a.pause();
  };
  const effectiveTotal = total || (audio.current?.duration && Number.isFinite(audio.current.duration) ? audio.current.duration * 1000 : 0);
  return (
    <div className="voice-msg">
      <button type="button" className="btn round" onClick={toggle} disabled={!url} aria-label={playing ? t("msg.pause") : t("msg.play")}>
        <Icon name={playing ? "pause" : "play"} />
      </button>
      <Waveform bars={bars} progress={effectiveTotal ? pos / effectiveTotal : 0} />
      <span className="voice-time">
        <span className="sr-only">{t("msg.voiceDuration", { duration: formatDuration(total) })}</span>
        <span aria-hidden="true">{formatDuration(playing || pos ? pos : total)}</span>
      </span>
      {error && <span className="media-error">{t("msg.mediaError")}</span>}
      {url && (
        <audio
          ref={audio}
          src={url}
          preload="metadata"
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => {
            setPlaying(false);
            setPos(0);
          }}
          onTimeUpdate={(e) => setPos(e.currentTarget.currentTime * 1000)}
        />
      )}
    </div>
  );
}

export function ImageViewer({ url, name, onClose }: { url: string; name: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="viewer" aria-label={t("viewer.title")} onClose={onClose} onClick={(e) => e.target === ref.current && onClose()}>
      <button type="button" className="btn viewer-close" onClick={onClose} aria-label={t("dialog.close")} autoFocus>
        <Icon name="close" />
      </button>
      <img src={url} alt={name} />
    </dialog>
  );
}
