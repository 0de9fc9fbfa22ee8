/**
 * Shared notes: a list kept in IndexedDB, live in every tab of the origin. Writes go through an
 * RxJS pipeline (form submits -> trimmed text -> non-empty -> one `update` at a time), and the
 * list is rendered from `watch`, which also sees the writes of other tabs.
 */
import { connectIndexedDbStore } from '@konserve-rx/indexeddb';
import { concatMap, filter, fromEvent, map, tap } from 'rxjs';

interface Note {
  readonly text: string;
  readonly at: number;
}

const form = document.querySelector<HTMLFormElement>('#add')!;
const input = document.querySelector<HTMLInputElement>('#text')!;
const list = document.querySelector<HTMLUListElement>('#notes')!;
const count = document.querySelector<HTMLElement>('#count')!;

connectIndexedDbStore<Note[]>({ name: 'konserve-rx-notes' }).subscribe((store) => {
  // every tab renders from watch: the current list, then each committed write, wherever it was made
  store.watch('notes').subscribe((notes = []) => {
    list.replaceChildren(...notes.map((n) => Object.assign(document.createElement('li'), { textContent: n.text })));
    count.textContent = String(notes.length);
  });

  fromEvent(form, 'submit')
    .pipe(
      tap((e) => e.preventDefault()),
      map(() => input.value.trim()),
      filter((text) => text.length > 0),
      tap(() => (input.value = '')),
      // one update at a time: update is atomic across tabs, so no note is ever lost
      concatMap((text) => store.update('notes', (notes: Note[] = []) => [...notes, { text, at: Date.now() }])),
    )
    .subscribe();

  Object.assign(globalThis, { ready: true });
});
