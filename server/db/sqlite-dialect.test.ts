import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { withStatementCache } from './sqlite-dialect.ts';

describe('withStatementCache', () => {
  it('prepares a query once and hands the same statement back, dropping the least recently used', () => {
    const file = new SqliteDatabase(':memory:');
    const db = withStatementCache(file, 2);
    const one = db.prepare('select 1 as n');
    assert.equal(db.prepare('select 1 as n'), one);
    const two = db.prepare('select 2 as n');
    // 'select 1' used last, so 'select 2' goes when a third comes.
    assert.equal(db.prepare('select 1 as n'), one);
    db.prepare('select 3 as n');
    assert.equal(db.prepare('select 1 as n'), one);
    assert.notEqual(db.prepare('select 2 as n'), two);
    db.close();
    assert.equal(file.open, false);
  });

  it('a kept statement sees a table changed after it was prepared', () => {
    const db = withStatementCache(new SqliteDatabase(':memory:'));
    db.prepare('create table t (a integer)').run([]);
    db.prepare('insert into t (a) values (?)').run([1]);
    assert.deepEqual(db.prepare('select * from t').all([]), [{ a: 1 }]);
    db.prepare('alter table t add column b text').run([]);
    db.prepare('update t set b = ?').run(['x']);
    assert.deepEqual(db.prepare('select * from t').all([]), [{ a: 1, b: 'x' }]);
    db.close();
  });
});
