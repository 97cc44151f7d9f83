/** The evidence screen's UI state: which log, which sample, which comparison, the table's sort and filter. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

export type SampleSort = 'id' | 'epoch' | 'score' | 'tokens' | 'time' | 'error';
export type SampleShow = 'all' | 'errored' | 'limited' | 'failed' | 'passed';

export interface OpenSample {
  artifactId: string;
  sampleId: string;
  epoch: number;
}

interface EvidenceState {
  logId: string | null;
  compareWith: string | null;
  sample: OpenSample | null;
  /** Both transcripts of a flipped pair, side by side. */
  pair: { a: OpenSample; b: OpenSample } | null;
  sort: SampleSort;
  descending: boolean;
  show: SampleShow;
  text: string;
  progress: { done: number; total: number; finished: boolean };
  selectLog(id: string | null): void;
  setCompareWith(id: string | null): void;
  openSample(sample: OpenSample | null): void;
  openPair(pair: { a: OpenSample; b: OpenSample } | null): void;
  setSort(sort: SampleSort): void;
  setShow(show: SampleShow): void;
  setText(text: string): void;
  setProgress(done: number, total: number, finished: boolean): void;
}

const initial = {
  logId: null,
  compareWith: null,
  sample: null,
  pair: null,
  sort: 'id' as SampleSort,
  descending: false,
  show: 'all' as SampleShow,
  text: '',
  progress: { done: 0, total: 0, finished: true },
};

export const useEvidenceStore = create<EvidenceState>()((set) => ({
  ...initial,
  selectLog: (logId) => set({ logId, sample: null, pair: null, compareWith: null }),
  setCompareWith: (compareWith) => set({ compareWith, pair: null }),
  openSample: (sample) => set({ sample, pair: null }),
  openPair: (pair) => set({ pair, sample: null }),
  setSort: (sort) => set((s) => (s.sort === sort ? { descending: !s.descending } : { sort, descending: false })),
  setShow: (show) => set({ show }),
  setText: (text) => set({ text }),
  setProgress: (done, total, finished) => set({ progress: { done, total, finished } }),
}));

registerStoreReset(() => useEvidenceStore.setState(initial));
