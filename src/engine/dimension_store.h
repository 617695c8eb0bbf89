// DimensionStore: the rows of the dimension tables (CREATE TABLE ... WITH (kind = 'dimension')),
// kept in memory for joins and on disk, never in the log. docs/dimensions.md is the user's view.
//
// Ownership: the store owns one immutable RowBatch per table, held by shared_ptr. A COPY builds
// a complete new batch and Replace() swaps the pointer: a reader that took Get() before keeps a
// consistent old table for as long as it holds the pointer; one that takes it after sees the
// whole new one. Rows are never changed in place.
//
// Disk: `<dir>/<name>.parquet` (dir is `<data_dir>/tables`), written with the lake's
// ParquetWriter (docs/formats/parquet.md: NOT NULL columns REQUIRED, ZSTD pages) to
// `<name>.parquet.tmp`, fsynced, renamed over the old file, and the directory fsynced — so a
// crash leaves the old or the new table, never a mix. The file's footer carries the table's
// CREATE TABLE text (key "laminar.dimension.sql"): a file whose text differs from the catalog's
// is a leftover of an earlier definition (a DROP/CREATE interrupted by a crash) and is ignored
// (the table is empty). A table that was never loaded has no file; once COPY filled it, the catalog lists it
// (loaded_dimensions) and Load refuses a missing file. Readable by DuckDB, Spark,
// pandas: `SELECT * FROM 'data/tables/airports.parquet'`.
//
// Tables are registered by schema pointer (the catalog keeps the pointer of an unchanged
// object): Replace() is refused (Unavailable: "run COPY again") when the table was dropped or
// redefined after the COPY looked it up, so a slow COPY never resurrects a dropped table or
// writes rows of an old definition.
//
// Errors: a table whose file is damaged, has columns other than the table's, or is missing
// although COPY filled it (loaded_dimensions in the catalog) is registered as damaged: Damage()
// returns Corruption naming the file, every query that reads the table fails with it (never an
// empty or wrong table), and a COPY (Replace) or DROP TABLE repairs it. Load → IOError for I/O. Replace → IOError/InvalidArgument from the writer,
// Unavailable as above; on any error the table is unchanged, in memory and on disk (except a
// failed fsync of the directory after the rename: the new rows are in place, the error says the
// rename may not survive a crash). Drop →
// IOError when the file cannot be removed (the table is gone from memory anyway).
//
// Thread safety: all methods are thread-safe. Get() takes a short lock to copy the pointer and
// never waits for a write; writers (Load, Create, Drop, Replace) are serialised by a second
// mutex, held while a file is written.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/status.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"
#include "lake/parquet_writer.h"

namespace laminar::engine {

class DimensionStore {
 public:
  using SchemaPtr = std::shared_ptr<const ingest::StreamSchema>;

  // `dir` is created on the first write. `writer` sets row groups, pages and compression.
  explicit DimensionStore(std::string dir, lake::WriterOptions writer = {})
      : dir_(std::move(dir)), writer_(writer) {}

  // At open: registers every table of `tables` (name → schema; `sql` gives each one's CREATE
  // TABLE text) and loads its file (a missing file or one of an earlier definition → empty;
  // a damaged one, or a missing file of a table in `loaded`, which a COPY filled → damaged).
  // With remove_strays, also deletes files of tables not in `tables` and leftover .tmp files
  // (an interrupted DROP or write); a read-only engine passes false.
  Status Load(const std::map<std::string, SchemaPtr>& tables, const std::map<std::string, std::string>& sql,
              const std::set<std::string>& loaded, bool remove_strays);

  // Registers a new or redefined table, empty: removes any file left for the name.
  Status Create(const SchemaPtr& schema, const std::string& sql);
  // Forgets the table and deletes its file. OK when unknown.
  Status Drop(const std::string& name);
  // Replaces the rows of the table registered as `schema` (same pointer) with `rows`, whose
  // columns must have the schema's types: on disk, then in memory. Unavailable when the table is no
  // longer registered as `schema` (dropped or redefined meanwhile).
  Status Replace(const SchemaPtr& schema, ingest::RowBatch rows);

  // Corruption naming the file when the table is damaged (see Errors above); OK otherwise.
  Status Damage(const std::string& name) const;
  // The table's current rows (an empty batch of the schema when never loaded); null when unknown.
  std::shared_ptr<const ingest::RowBatch> Get(const std::string& name) const;
  // The schema the table is registered with; null when unknown.
  SchemaPtr schema(const std::string& name) const;
  // `<dir>/<name>.parquet`.
  std::string PathOf(const std::string& name) const;

 private:
  struct Table {
    SchemaPtr schema;
    std::string sql;
    std::shared_ptr<const ingest::RowBatch> rows;
    Status damage;  // not OK: the file could not be loaded; rows is empty
  };
  // Reads `<dir>/<name>.parquet` for the table (empty when missing or stale).
  Result<std::shared_ptr<const ingest::RowBatch>> LoadRows(const std::string& name, const Table& t,
                                                           bool must_exist) const;
  void Publish(const std::string& name, Table t);

  const std::string dir_;
  const lake::WriterOptions writer_;
  std::mutex write_mu_;    // serialises writers; taken before mu_
  mutable std::mutex mu_;  // guards tables_ (held only to read or swap entries)
  std::map<std::string, Table> tables_;
};

}  // namespace laminar::engine
