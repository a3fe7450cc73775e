import { GroupCommit, GroupCommitOptions } from './group-commit';

/**
 * Reads asked for at the same moment go out as one query (`readMany` answers every key, in
 * the order given). It batches the way {@link GroupCommit} does — at most `maxGroups` queries
 * at once, the callers waiting meanwhile sharing the next one — but reads and commits
 * nothing; a failed batch is asked again key by key, so one bad key fails only its caller.
 */
export class ReadBatcher<K, V> {
  private readonly batches: GroupCommit<K, V>;

  constructor(readMany: (keys: K[]) => Promise<V[]>, options: GroupCommitOptions) {
    this.batches = new GroupCommit(readMany, options);
  }

  /** The value of one key, read together with the keys asked for at the same moment. */
  read(key: K): Promise<V> {
    return this.batches.submit(key);
  }
}
