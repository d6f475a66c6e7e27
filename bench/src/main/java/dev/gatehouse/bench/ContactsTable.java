package dev.gatehouse.bench;

/**
 * The large-result table {@code app.bench_contacts}: rows of about 200 bytes whose every value
 * follows from the id, so any line of a client's output can be checked exactly, clear or masked.
 * The bench policy masks {@code email} (email), {@code phone} (redact) and {@code card_number}
 * (keep last 4); the reference detectors inspect the other text columns and find nothing in them.
 */
final class ContactsTable {

  static final String NAME = "app.bench_contacts";

  private static final String[] CITIES = {
    "Springfield", "Shelbyville", "Ogdenville", "North Haverbrook", "Capital City"
  };

  /** Filler for the note column: no digits a card detector could take, no address. */
  private static final String NOTE =
      "leave parcels at the side door and ring twice; no deliveries on sundays, call ahead before"
          + " the evening slot; batch ";

  private ContactsTable() {}

  /** Creates and fills the table with ids 1..rows, as the superuser; readable by the writer. */
  static String[] createSql(int rows) {
    return new String[] {
      "DROP TABLE IF EXISTS " + NAME,
      "CREATE TABLE "
          + NAME
          + " (id bigint PRIMARY KEY, full_name text NOT NULL, email text NOT NULL,"
          + " phone text NOT NULL, card_number text NOT NULL, city text NOT NULL,"
          + " note text NOT NULL)",
      "INSERT INTO "
          + NAME
          + " SELECT g, 'Contact ' || g, 'contact' || g || '@bench.example',"
          + " '+1-202-555-' || lpad((g % 10000)::text, 4, '0'), '4' || lpad(g::text, 15, '0'),"
          + " (ARRAY['"
          + String.join("','", CITIES)
          + "'])[g % 5 + 1], '"
          + NOTE
          + "' || (g % 97) FROM generate_series(1, "
          + rows
          + ") g",
      "ANALYZE " + NAME,
      "GRANT SELECT ON " + NAME + " TO gatehouse_writer"
    };
  }

  /** Average bytes of values per row (all seven columns as text), as the server counts them. */
  static String averageRowBytesSql() {
    return "SELECT avg(octet_length(id::text) + octet_length(full_name) + octet_length(email)"
        + " + octet_length(phone) + octet_length(card_number) + octet_length(city)"
        + " + octet_length(note)), count(*) FROM "
        + NAME;
  }

  static String email(long id) {
    return "contact" + id + "@bench.example";
  }

  static String phone(long id) {
    return String.format("+1-202-555-%04d", id % 10_000);
  }

  static String card(long id) {
    return "4" + String.format("%015d", id);
  }

  /** One line of {@code psql -A -t} output for this id: clear, or as the bench policy masks it. */
  static String line(long id, boolean masked) {
    String card = card(id);
    return id
        + "|Contact "
        + id
        + "|"
        + (masked ? "c****@bench.example" : email(id))
        + "|"
        + (masked ? "****" : phone(id))
        + "|"
        + (masked ? "*".repeat(12) + card.substring(12) : card)
        + "|"
        + CITIES[(int) (id % 5)]
        + "|"
        + NOTE
        + (id % 97);
  }
}
