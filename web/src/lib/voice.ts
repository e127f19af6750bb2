/** Helpers for voice messages (MSC3245 voice marker + MSC1767 audio duration/waveform). */

export const WAVEFORM_MAX = 1024;

/**
 * Reduces a series of amplitude samples (0..1, e.g. RMS per animation frame) to `bars` values
 * scaled to 0..1024 as MSC3246 waveforms are. The loudest bar becomes 1024 so quiet recordings stay visible.
 */
export function computeWaveform(samples: number[], bars = 40): number[] {
  if (samples.length === 0) return new Array(bars).fill(0);
  const out: number[] = [];
  for (let b = 0; b < bars; b++) {
    const start = Math.floor((b * samples.length) / bars);
    const end = Math.max(start + 1, Math.floor(((b + 1) * samples.length) / bars));
    let sum = 0;
    let n = 0;
    for (let i = start; i < end && i < samples.length; i++) {
      sum += Math.abs(samples[i]);
      n++;
    }
    out.push(n ? sum / n : 0);
  }
  const max = Math.max(...out);
  if (max <= 0) return out.map(() => 0);
  return out.map((v) => Math.max(0, Math.min(WAVEFORM_MAX, Math.round((v / max) * WAVEFORM_MAX))));
}

/** Resamples a received waveform (any length, values 0..1024) to `bars` values in 0..1 for drawing. */
export function normaliseWaveform(waveform: unknown, bars = 40): number[] {
  if (!Array.isArray(waveform) || waveform.length === 0) return new Array(bars).fill(0.3);
  const vals = waveform.map((v) => (typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.min(WAVEFORM_MAX, v)) : 0));
  const out: number[] = [];
  for (let b = 0; b < bars; b++) {
    const start = Math.floor((b * vals.length) / bars);
    const end = Math.max(start + 1, Math.floor(((b + 1) * vals.length) / bars));
    let max = 0;
    for (let i = start; i < end && i < vals.length; i++) max = Math.max(max, vals[i]);
    out.push(max / WAVEFORM_MAX);
  }
  return out;
}

/** Formats a duration in milliseconds as m:ss (or h:mm:ss). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export interface VoiceContentInput {
  url: string;
  mimetype: string;
  size: number;
  durationMs: number;
  waveform: number[];
  body: string;
  filename: string;
}

/** Builds the m.room.message content of a voice message as MSC3245 (v1 draft) / MSC1767 describe it. */
export function buildVoiceContent(v: VoiceContentInput): Record<string, any> {
  const duration = Math.round(v.durationMs);
  return {
    msgtype: "m.audio",
    body: v.body,
    filename: v.filename,
    url: v.url,
    info: { mimetype: v.mimetype, size: v.size, duration },
    "org.matrix.msc1767.text": v.body,
    "org.matrix.msc1767.file": { url: v.url, name: v.filename, mimetype: v.mimetype, size: v.size },
    "org.matrix.msc1767.audio": { duration, waveform: v.waveform },
    "org.matrix.msc3245.voice": {},
  };
}

export function isVoiceMessage(content: Record<string, any>): boolean {
  return content?.msgtype === "m.audio" && ("org.matrix.msc3245.voice" in content || "m.voice" in content);
}

/** Duration (ms) and waveform of an audio message, from MSC1767 fields with fallback to info.duration. */
export function audioDetails(content: Record<string, any>): { durationMs: number; waveform: number[] | undefined } {
  const a = content?.["org.matrix.msc1767.audio"] ?? content?.["m.audio_details"];
  const durationMs = typeof a?.duration === "number" ? a.duration : typeof content?.info?.duration === "number" ? content.info.duration : 0;
  return { durationMs, waveform: Array.isArray(a?.waveform) ? a.waveform : undefined };
}

/** Picks a MediaRecorder MIME type the browser supports, preferring Ogg/Opus as MSC3245 recommends. */
export function pickRecorderMime(isSupported: (t: string) => boolean): string {
  for (const t of ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/mp4", "audio/webm"]) {
    if (isSupported(t)) return t;
  }
  return "";
}
