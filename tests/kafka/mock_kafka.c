/* A Kafka cluster for the tests: librdkafka's mock cluster (rdkafka_mock.h) on loopback, driven
 * by commands on stdin so that a test can inject faults while Laminar consumes.
 *
 *   mock_kafka [BROKERS]       prints "bootstrap: host:port,..." and then reads commands:
 *   topic NAME PARTITIONS      creates a topic
 *   down ID | up ID            takes broker ID (-1: all) down or up
 *   topic_error NAME CODE      answers metadata requests for the topic with error CODE (0 clears;
 *                              3 is UNKNOWN_TOPIC_OR_PART: the topic seems gone)
 *   quit                       exits (so does the end of stdin)
 * Each command is answered "ok" or "error: ..." on its own line. */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 3;
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "mock_kafka: %s\n", err);
    return 1;
  }
  rd_kafka_mock_cluster_t* mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    fprintf(stderr, "mock_kafka: cannot start the mock cluster\n");
    return 1;
  }
  printf("bootstrap: %s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);
  char line[1024];
  while (fgets(line, sizeof line, stdin)) {
    char cmd[64] = {0}, name[512] = {0};
    int a = 0;
    int n = sscanf(line, "%63s %511s %d", cmd, name, &a);
    rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (n >= 1 && strcmp(cmd, "quit") == 0) break;
    if (n == 3 && strcmp(cmd, "topic") == 0) {
      e = rd_kafka_mock_topic_create(mc, name, a, 1);
    } else if (n == 2 && strcmp(cmd, "down") == 0) {
      e = rd_kafka_mock_broker_set_down(mc, atoi(name));
    } else if (n == 2 && strcmp(cmd, "up") == 0) {
      e = rd_kafka_mock_broker_set_up(mc, atoi(name));
    } else if (n == 3 && strcmp(cmd, "topic_error") == 0) {
      rd_kafka_mock_topic_set_error(mc, name, (rd_kafka_resp_err_t)a);
    } else {
      printf("error: unknown command: %s", line);
      fflush(stdout);
      continue;
    }
    if (e) printf("error: %s\n", rd_kafka_err2str(e));
    else printf("ok\n");
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
