import { useEffect, useId, useRef, useState } from "react";
import type { MatrixClient, MatrixEvent, Room } from "matrix-js-sdk";
import { t } from "../i18n";
import { computeWaveform, formatDuration, pickRecorderMime } from "../lib/voice";
import { Waveform } from "./Media";
import { Icon } from "./Icons";

export interface VoiceRecording {
  blob: Blob;
  mimetype: string;
  durationMs: number;
  waveform: number[];
}

interface Props {
  client: MatrixClient;
  room: Room;
  replyTo: MatrixEvent | null;
  editing: MatrixEvent | null;
  onCancelContext: () => void;
  onSendText: (text: string) => void;
  onFiles: (files: File[]) => void;
  onVoice: (rec: VoiceRecording) => void;
  onError: (message: string) => void;
  senderName: (userId: string) => string;
}

class Recorder {
  private stream!: MediaStream;
  private rec!: MediaRecorder;
  private ctx!: AudioContext;
  private chunks: Blob[] = [];
  private timer = 0;
  samples: number[] = [];
  started = 0;

  async start(onTick: () => void): Promise<void> {
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    const mime = pickRecorderMime((m) => typeof MediaRecorder !== "undefined" && MediaRecorder.isTypeSupported(m));
    this.rec = new MediaRecorder(this.stream, mime ? { mimeType: mime, audioBitsPerSecond: 24000 } : undefined);
    this.rec.ondataavailable = (e) => e.data.size && this.chunks.push(e.data);
    this.ctx = new AudioContext();
    const analyser = this.ctx.createAnalyser();
    analyser.fftSize = 1024;
    this.ctx.createMediaStreamSource(this.stream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    this.timer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      this.samples.push(Math.sqrt(sum / buf.length));
      onTick();
    }, 100);
    this.started = Date.now();
    this.rec.start(250);
  }

  private cleanup() {
    clearInterval(this.timer);
    this.stream?.getTracks().forEach((tr) => tr.stop());
    void this.ctx?.close().catch(() => undefined);
  }

  stop(): Promise<VoiceRecording> {
    return new Promise((resolve) => {
      this.rec.onstop = () => {
        const durationMs = Date.now() - this.started;
        this.cleanup();
        const mimetype = (this.rec.mimeType || "audio/webm").split(";")[0];
        resolve({ blob: new Blob(this.chunks, { type: mimetype }), mimetype, durationMs, waveform: computeWaveform(this.samples, 40) });
      };
      this.rec.stop();
    });
  }

  cancel() {
    try {
      this.rec.onstop = null;
      if (this.rec.state !== "inactive") this.rec.stop();
    } catch {
      /* already stopped */
    }
    this.cleanup();
  }
}

export function Composer({ client, room, replyTo, editing, onCancelContext, onSendText, onFiles, onVoice, onError, senderName }: Props) {
  const [text, setText] = useState("");
  const [recording, setRecording] = useState<Recorder | null>(null);
  const recRef = useRef<Recorder | null>(null);
  const released = useRef<boolean | null>(null);
  const [, setTick] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const typingSent = useRef(0);
  const press = useRef<{ at: number; viaPointer: boolean } | null>(null);
  const hintId = useId();
  const inputId = useId();

  useEffect(() => {
    if (editing) {
      const c = editing.getContent();
      setText(c.body ?? "");
    }
    if (editing || replyTo) input.current?.focus();
  }, [editing, replyTo]);

  useEffect(() => () => recRef.current?.cancel(), []);

  const stopTyping = () => {
    if (typingSent.current) {
      typingSent.current = 0;
      client.sendTyping(room.roomId, false, 0).catch(() => undefined);
    }
  };
  useEffect(() => stopTyping, [room.roomId]);

  const onInput = (value: string) => {
    setText(value);
    if (!value.trim()) return stopTyping();
    if (Date.now() - typingSent.current > 4000) {
      typingSent.current = Date.now();
      client.sendTyping(room.roomId, true, 6000).catch(() => undefined);
    }
  };

  const send = () => {
    const value = text.trim();
    if (!value) return;
    onSendText(value);
    setText("");
    stopTyping();
    input.current?.focus();
  };

  const startRecording = async (viaPointer: boolean) => {
    if (recording) return;
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === "undefined") {
      onError(t("composer.micMissing"));
      return;
    }
    press.current = { at: Date.now(), viaPointer };
    released.current = null;
    if (viaPointer) {
      const up = () => {
        // Held long enough: this was hold-to-record, so releasing sends. A short click keeps recording.
        const held = !!press.current && Date.now() - press.current.at > 700;
        released.current = held;
        if (held) void finishRecording();
      };
      window.addEventListener("pointerup", up, { once: true });
    }
    const r = new Recorder();
    try {
      await r.start(() => setTick((x) => x + 1));
      recRef.current = r;
      setRecording(r);
      if (released.current !== null && released.current) void finishRecording();
    } catch (e: any) {
      r.cancel();
      press.current = null;
      onError(e?.name === "NotAllowedError" || e?.name === "SecurityError" ? t("composer.micDenied") : t("composer.micMissing"));
    }
  };
  const finishRecording = async () => {
    const r = recRef.current;
    if (!r) return;
    recRef.current = null;
    setRecording(null);
    press.current = null;
    const result = await r.stop();
    if (result.durationMs < 500 || result.blob.size === 0) return;
    onVoice(result);
  };
  const cancelRecording = () => {
    recRef.current?.cancel();
    recRef.current = null;
    setRecording(null);
    press.current = null;
  };

  const contextEvent = editing ?? replyTo;
  return (
    <div className="composer">
      {contextEvent && (
        <div className="composer-context">
          <span>
            {editing ? t("composer.editing") : t("composer.replyingTo", { name: senderName(replyTo!.getSender()!) })}
            {": "}
            <span className="muted">{(contextEvent.getContent().body ?? "").slice(0, 80)}</span>
          </span>
          <button
            type="button"
            className="btn small"
            onClick={() => {
              onCancelContext();
              if (editing) setText("");
            }}
          >
            {t("composer.cancel")}
          </button>
        </div>
      )}
      {recording ? (
        <div className="recording" role="group" aria-label={t("composer.recording", { duration: formatDuration(Date.now() - recording.started) })}>
          <span className="rec-dot" aria-hidden="true" />
          <span className="rec-time" aria-live="off">
            {formatDuration(Date.now() - recording.started)}
          </span>
          <Waveform bars={computeWaveform(recording.samples.slice(-40), 40).map((v) => v / 1024)} progress={0} />
          <button type="button" className="btn" onClick={cancelRecording}>
            {t("composer.cancelRecording")}
          </button>
          <button type="button" className="btn primary" onClick={() => void finishRecording()}>
            {t("composer.stopSend")}
          </button>
        </div>
      ) : (
        <form
          className="composer-row"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <button type="button" className="btn icon" onClick={() => fileInput.current?.click()} aria-label={t("composer.attach")} title={t("composer.attach")}>
            <Icon name="attach" />
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = "";
              if (files.length) onFiles(files);
            }}
          />
          <label htmlFor={inputId} className="sr-only">
            {t("composer.label")}
          </label>
          <textarea
            id={inputId}
            ref={input}
            rows={1}
            value={text}
            placeholder={t("composer.placeholder")}
            aria-describedby={hintId}
            onChange={(e) => onInput(e.target.value)}
            onBlur={stopTyping}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                send();
              } else if (e.key === "Escape" && contextEvent) {
                onCancelContext();
                if (editing) setText("");
              }
            }}
            onPaste={(e) => {
              const files = [...e.clipboardData.files];
              if (files.length) {
                e.preventDefault();
                onFiles(files);
              }
            }}
          />
          <span id={hintId} className="sr-only">
            {t("composer.formatHint")}
          </span>
          {text.trim() ? (
            <button type="submit" className="btn primary icon" aria-label={t("composer.send")} title={t("composer.send")}>
              <Icon name="send" />
            </button>
          ) : (
            <button
              type="button"
              className="btn icon mic"
              aria-label={t("composer.record")}
              title={t("composer.record")}
              onPointerDown={(e) => {
                if (e.button !== 0) return;
                void startRecording(true);
              }}
              onClick={() => {
                // Keyboard activation (no pointer events): click-to-record.
                if (!press.current) void startRecording(false);
              }}
            >
              <Icon name="mic" />
            </button>
          )}
        </form>
      )}
    </div>
  );
}
