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
  `CREATE TABLE quiz_schedules (
     channel_key TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     time TEXT NOT NULL,
     weekdays TEXT NOT NULL,
     timezone TEXT NOT NULL,
     tracks TEXT NOT NULL,
     created_by TEXT NOT NULL,
     last_board_week TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE quiz_posts (
     channel_key TEXT NOT NULL,
     local_date TEXT NOT NULL,
     question_id TEXT NOT NULL,
     status TEXT NOT NULL,
     claimed_by TEXT NOT NULL,
     claimed_at INTEGER NOT NULL,
     slot_at INTEGER NOT NULL,
     thread_id TEXT,
     message_id TEXT,
     posted_at INTEGER,
     closes_at INTEGER,
     late INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (channel_key, local_date)
   );
   CREATE INDEX quiz_posts_thread ON quiz_posts(channel_key, thread_id);
   CREATE TABLE quiz_answers (
     channel_key TEXT NOT NULL,
     local_date TEXT NOT NULL,
     user_id TEXT NOT NULL,
     user_name TEXT,
     score REAL NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (channel_key, local_date, user_id)
   );`,
];
