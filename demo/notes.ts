// The demo's one real resource. Kept in memory, or in MongoDB through mongoose when
// the demo is given a connection, behind one small interface.
import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';

export interface Note {
  id: string;
  title: string;
  body: string;
  createdAt: string;
}

export type NoteInput = Pick<Note, 'title' | 'body'>;

export interface NoteRepository {
  list(): Promise<Note[]>;
  get(id: string): Promise<Note | null>;
  create(input: NoteInput): Promise<Note>;
  update(id: string, input: Partial<NoteInput>): Promise<Note | null>;
  remove(id: string): Promise<boolean>;
}

export class MemoryNotes implements NoteRepository {
  private readonly notes = new Map<string, Note>();

  async list() { return [...this.notes.values()]; }
  async get(id: string) { return this.notes.get(id) ?? null; }
  async create(input: NoteInput) {
    const note = { id: randomUUID(), ...input, createdAt: new Date().toISOString() };
    this.notes.set(note.id, note);
    return note;
  }
  async update(id: string, input: Partial<NoteInput>) {
    const note = this.notes.get(id);
    if (!note) return null;
    Object.assign(note, input);
    return note;
  }
  async remove(id: string) { return this.notes.delete(id); }
}

interface NoteDoc { _id: string; title: string; body: string; createdAt: Date }

export class MongoNotes implements NoteRepository {
  private readonly model: Model<NoteDoc>;

  constructor(connection: Connection) {
    const schema = new Schema<NoteDoc>({
      _id: { type: String, default: () => randomUUID() },
      title: { type: String, required: true },
      body: { type: String, default: '' },
      createdAt: { type: Date, default: Date.now },
    }, { versionKey: false });
    this.model = connection.models.DemoNote as Model<NoteDoc> ?? connection.model<NoteDoc>('DemoNote', schema, 'demo_notes');
  }

  async list() { return (await this.model.find().sort({ createdAt: 1 }).lean()).map(toNote); }
  async get(id: string) { const doc = await this.model.findById(String(id)).lean(); return doc ? toNote(doc) : null; }
  async create(input: NoteInput) { return toNote((await this.model.create(input)).toObject()); }
  async update(id: string, input: Partial<NoteInput>) {
    const doc = await this.model.findByIdAndUpdate(String(id), { $set: input }, { new: true }).lean();
    return doc ? toNote(doc) : null;
  }
  async remove(id: string) { return (await this.model.deleteOne({ _id: String(id) })).deletedCount === 1; }
}

function toNote(doc: NoteDoc): Note {
  return { id: doc._id, title: doc.title, body: doc.body, createdAt: new Date(doc.createdAt).toISOString() };
}

/** Returns a clean input or a list of problems, so the route can answer 422 with all of them at once. */
export function validateNote(body: unknown, partial = false): { input: Partial<NoteInput> } | { problems: string[] } {
  const problems: string[] = [];
  const data = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const input: Partial<NoteInput> = {};
  if (data.title !== undefined || !partial) {
    if (typeof data.title !== 'string' || !data.title.trim()) problems.push('title is required and must be a non-empty string');
    else if (data.title.length > 200) problems.push('title must be at most 200 characters');
    else input.title = data.title.trim();
  }
  if (data.body !== undefined) {
    if (typeof data.body !== 'string') problems.push('body must be a string');
    else input.body = data.body;
  } else if (!partial) {
    input.body = '';
  }
  return problems.length ? { problems } : { input };
}
