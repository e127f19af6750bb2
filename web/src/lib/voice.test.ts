import { describe, expect, it } from "vitest";
import { audioDetails, buildVoiceContent, computeWaveform, formatDuration, isVoiceMessage, normaliseWaveform, pickRecorderMime } from "./voice";

describe("voice helpers", () => {
  it("computes a waveform scaled to 0..1024 with the requested number of bars", () => {
    const samples = Array.from({ length: 100 }, (_, i) => (i < 50 ? 0.1 : 0.2));
    const w = computeWaveform(samples, 10);
    expect(w).toHaveLength(10);
    expect(Math.max(...w)).toBe(1024);
    expect(w[0]).toBe(512);
    expect(w.every((v) => Number.isInteger(v) && v >= 0 && v <= 1024)).toBe(true);
  });
  it("handles silence and empty input", () => {
    expect(computeWaveform([], 5)).toEqual([0, 0, 0, 0, 0]);
    expect(computeWaveform([0, 0, 0], 3)).toEqual([0, 0, 0]);
  });
  it("normalises received waveforms of any length and bad values", () => {
    expect(normaliseWaveform([0, 1024, 512, 2000, -5, "x"], 3)).toEqual([1, 1, 0]);
    expect(normaliseWaveform(undefined, 2)).toEqual([0.3, 0.3]);
  });
  it("formats durations", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(5_400)).toBe("0:05");
    expect(formatDuration(90_000)).toBe("1:30");
    expect(formatDuration(3_725_000)).toBe("1:02:05");
    expect(formatDuration(NaN)).toBe("0:00");
  });
  it("builds MSC3245/MSC1767 voice content and reads it back", () => {
    const c = buildVoiceContent({ url: "mxc://x/y", mimetype: "audio/ogg", size: 1234, durationMs: 2500.4, waveform: [1, 2], body: "Sprachnachricht", filename: "voice.ogg" });
    expect(c.msgtype).toBe("m.audio");
    expect(c["org.matrix.msc3245.voice"]).toEqual({});
    expect(c["org.matrix.msc1767.audio"]).toEqual({ duration: 2500, waveform: [1, 2] });
    expect(c.info.duration).toBe(2500);
    expect(isVoiceMessage(c)).toBe(true);
    expect(isVoiceMessage({ msgtype: "m.audio" })).toBe(false);
    expect(audioDetails(c)).toEqual({ durationMs: 2500, waveform: [1, 2] });
    expect(audioDetails({ msgtype: "m.audio", info: { duration: 7 } })).toEqual({ durationMs: 7, waveform: undefined });
  });
  it("prefers Ogg/Opus, then WebM", () => {
    expect(pickRecorderMime((t) => t.startsWith("audio/webm"))).toBe("audio/webm;codecs=opus");
    expect(pickRecorderMime(() => false)).toBe("");
  });
});
