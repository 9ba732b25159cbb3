#pragma once

// Marks code that runs per run, per action or per series interval, never per request or per
// event (setting a run up, live actions, the timeline, seeking, the autoscaler): compiled for
// size, so that the WebAssembly module stays small without a size-compiled file handing its
// copies of shared inline code to the hot path at link time.
#if defined(__clang__)
#define SL_RARELY_RUN __attribute__((cold, minsize))
#else
#define SL_RARELY_RUN __attribute__((cold))
#endif
