// How much simulated time one animation frame may advance. A frame whose simulation took
// longer than FRAME_WORK_MS lowers the cap (playback then runs slower than asked instead of
// freezing the page); fast frames raise it again. Both views play through one.

/// A frame's simulation aims at most at this, wall milliseconds.
export const FRAME_WORK_MS = 40;

export class FrameBudget {
  /// Most simulated seconds the next frame advances.
  capS = Infinity;

  /// After a frame that was asked for askedS simulated seconds and took ms of wall time.
  adapt(askedS, ms) {
    const done = Math.min(askedS, this.capS);
    if (ms > FRAME_WORK_MS) this.capS = Math.max(1e-4, done * (FRAME_WORK_MS / ms) * 0.8);
    else if (ms < FRAME_WORK_MS / 4 && this.capS < Infinity) this.capS = this.capS * 2 > 1e6 ? Infinity : this.capS * 2;
  }
}
