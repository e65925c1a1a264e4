/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Never edit a shipped migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     name TEXT,
     settings TEXT NOT NULL DEFAULT '{"tracks":[]}',
     created_at INTEGER NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     status TEXT NOT NULL,
     state TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_user_status ON sessions(user_id, status);
   CREATE TABLE answers (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     question_id TEXT NOT NULL,
     area TEXT NOT NULL,
     level TEXT NOT NULL,
     source TEXT NOT NULL,
     session_id TEXT,
     score REAL NOT NULL,
     max_score REAL NOT NULL,
     grader TEXT NOT NULL,
     skipped INTEGER NOT NULL,
     missed_points TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX answers_user_time ON answers(user_id, created_at);
   CREATE TABLE reviews (
     user_id TEXT NOT NULL,
     question_id TEXT NOT NULL,
     due INTEGER NOT NULL,
     card TEXT NOT NULL,
     PRIMARY KEY (user_id, question_id)
   );
   CREATE INDEX reviews_due ON reviews(user_id, due);
   CREATE TABLE processed_messages (
     key TEXT PRIMARY KEY,
     seen_at INTEGER NOT NULL
   );`,
];
