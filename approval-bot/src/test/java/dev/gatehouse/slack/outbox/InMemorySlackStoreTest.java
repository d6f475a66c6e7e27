package dev.gatehouse.slack.outbox;

class InMemorySlackStoreTest extends SlackStoreContract {

  @Override
  SlackStore newStore() {
    return new InMemorySlackStore();
  }
}
