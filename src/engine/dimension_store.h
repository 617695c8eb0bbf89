// DimensionStore: the rows of dimension tables (CREATE TABLE ... WITH (kind = 'dimension')),
// kept in memory and on disk, never in the log. (Being built: see issue 5.)
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "ingest/row_batch.h"
#include "ingest/schema.h"

namespace laminar::engine {

class DimensionStore {
 public:
  explicit DimensionStore(std::string dir) : dir_(std::move(dir)) {}
  // The table's current rows (empty batch of the schema when never loaded); null when unknown.
  std::shared_ptr<const ingest::RowBatch> Get(const std::string& name) const {
    std::lock_guard<std::mutex> l(mu_);
    auto it = tables_.find(name);
    return it == tables_.end() ? nullptr : it->second;
  }

 private:
  std::string dir_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const ingest::RowBatch>> tables_;
};

}  // namespace laminar::engine
