// The workers and queue shared by servers and the session store.
#include <catch2/catch.hpp>

#include "worker_pool.h"

TEST_CASE("WorkerPool hands out worker 0 first and a freed worker next, and counts busy workers", "[parts]") {
  sl::WorkerPool pool;
  pool.reset(3, 2);
  CHECK(pool.busy() == 0);
  CHECK(pool.take(10) == 0);
  CHECK(pool.take(11) == 1);
  CHECK(pool.busy() == 2);
  CHECK(pool.release(0) == 10);
  CHECK(pool.entry(0) == sl::WorkerPool::kFree);
  CHECK(pool.take(12) == 0);
  CHECK(pool.take(13) == 2);
  CHECK_FALSE(pool.hasFree());
  pool.clear();
  CHECK(pool.busy() == 0);
  CHECK(pool.take(14) == 0);
}

TEST_CASE("WorkerPool queue is first in first out and full at its limit", "[parts]") {
  sl::WorkerPool pool;
  pool.reset(1, 2);
  CHECK(pool.queueEmpty());
  pool.enqueue(7);
  CHECK_FALSE(pool.queueFull());
  pool.enqueue(8);
  CHECK(pool.queueFull());
  CHECK(pool.queuedAt(1) == 8);
  CHECK(pool.dequeue() == 7);
  CHECK(pool.dequeue() == 8);
  CHECK(pool.queueEmpty());
}

TEST_CASE("WorkerPool busy time adds up in total and restarts per interval", "[parts]") {
  sl::WorkerPool pool;
  pool.reset(2, 0);
  pool.addBusy(30);
  pool.addBusy(12);
  CHECK(pool.busyUs() == 42);
  CHECK(pool.takeIntervalBusyUs() == 42);
  pool.addBusy(5);
  CHECK(pool.takeIntervalBusyUs() == 5);
  CHECK(pool.busyUs() == 47);
  pool.clear();
  CHECK(pool.busyUs() == 47);
}
