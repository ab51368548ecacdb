#include "cli/block_pipeline.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "cli/block_reader.hpp"

namespace mojifix::cli {
namespace {

// A fixed set of threads taking tasks from one queue.
class task_pool {
 public:
  explicit task_pool(int threads) {
    for (int t = 0; t < threads; ++t) threads_.emplace_back([this] { work(); });
  }
  ~task_pool() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  task_pool(const task_pool&) = delete;
  task_pool& operator=(const task_pool&) = delete;

  void submit(std::packaged_task<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

 private:
  void work() {
    while (true) {
      std::packaged_task<void()> task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return closing_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<void()>> tasks_;
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

std::uint64_t count_lines(std::string_view block) {
  auto n = static_cast<std::uint64_t>(std::count(block.begin(), block.end(), '\n'));
  if (!block.empty() && block.back() != '\n') ++n;
  return n;
}

struct in_flight {
  std::string input;
  block_result result;
  std::future<void> done;
};

}  // namespace

pipeline_status run_pipeline(std::istream& in, const pipeline_config& config,
                             const block_function& fn, const block_sink& sink) {
  block_reader reader(in, config.block_size);
  std::uint64_t next_line = 1;

  if (config.jobs <= 1) {
    std::string block;
    while (reader.next(block)) {
      block_result result;
      fn(block, next_line, result);
      next_line += count_lines(block);
      if (!sink(result, block.size())) return pipeline_status::stopped;
      block = std::string();  // let a grown buffer go
    }
    return reader.failed() ? pipeline_status::read_error : pipeline_status::ok;
  }

  const std::size_t max_in_flight = 2 * static_cast<std::size_t>(config.jobs);
  // Each entry is a unique_ptr so that the worker's references stay valid.
  std::deque<std::unique_ptr<in_flight>> queue;
  task_pool pool(config.jobs);
  bool stopped = false;
  std::exception_ptr failure;

  const auto drain_one = [&]() {
    auto item = std::move(queue.front());
    queue.pop_front();
    try {
      item->done.get();
    } catch (...) {
      if (!failure) failure = std::current_exception();
      stopped = true;
      return;
    }
    if (!stopped && !sink(item->result, item->input.size())) stopped = true;
  };

  while (!stopped) {
    auto item = std::make_unique<in_flight>();
    if (!reader.next(item->input)) break;
    const std::uint64_t first_line = next_line;
    next_line += count_lines(item->input);
    in_flight* raw = item.get();
    std::packaged_task<void()> task(
        [raw, first_line, &fn] { fn(raw->input, first_line, raw->result); });
    item->done = task.get_future();
    pool.submit(std::move(task));
    queue.push_back(std::move(item));
    if (queue.size() >= max_in_flight) drain_one();
  }
  while (!queue.empty()) drain_one();
  if (failure) std::rethrow_exception(failure);
  if (stopped) return pipeline_status::stopped;
  return reader.failed() ? pipeline_status::read_error : pipeline_status::ok;
}

}  // namespace mojifix::cli
