package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.catalog.Catalog;
import dev.gatehouse.engine.masking.catalog.CatalogException;
import dev.gatehouse.engine.masking.catalog.RelationInfo;
import dev.gatehouse.engine.masking.catalog.TypeInfo;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A catalog held in memory, shaped like the shop database, for planner unit tests. */
final class FakeCatalog implements Catalog {

  static final int CUSTOMERS = 16401;
  static final int PAYMENTS = 16402;
  static final int CONTACTS = 16403;

  private final Map<Integer, RelationInfo> relations = new HashMap<>();
  boolean broken;
  int invalidations;

  FakeCatalog() {
    add(
        new RelationInfo(
            CUSTOMERS,
            TableRef.of("app.customers"),
            'r',
            List.of("id", "full_name", "email", "ssn", "card_number", "phone", "created_at"),
            Map.of()));
    add(
        new RelationInfo(
            PAYMENTS,
            TableRef.of("app.payments"),
            'r',
            List.of("id", "customer_id", "amount", "card_number", "status", "created_at"),
            Map.of()));
    TableRef customers = TableRef.of("app.customers");
    add(
        new RelationInfo(
            CONTACTS,
            TableRef.of("app.customer_contacts"),
            'v',
            List.of("id", "full_name", "email", "phone"),
            Map.of(
                "id", new OutputColumn("id", Set.of(new ColumnRef(customers, "id")), false),
                "full_name",
                    new OutputColumn(
                        "full_name", Set.of(new ColumnRef(customers, "full_name")), false),
                "email",
                    new OutputColumn("email", Set.of(new ColumnRef(customers, "email")), false),
                "phone",
                    new OutputColumn("phone", Set.of(new ColumnRef(customers, "phone")), false)),
            Set.of("id", "full_name", "email", "phone")));
  }

  void add(RelationInfo r) {
    relations.put(r.oid(), r);
  }

  private void check() {
    if (broken) {
      throw new CatalogException("catalog down", null);
    }
  }

  @Override
  public RelationInfo relation(String database, int oid) {
    check();
    return relations.get(oid);
  }

  @Override
  public RelationInfo relation(String database, TableRef name) {
    check();
    return relations.values().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }

  @Override
  public List<RelationInfo> relationsNamed(String database, String name) {
    check();
    return relations.values().stream().filter(r -> r.name().name().equals(name)).toList();
  }

  @Override
  public TypeInfo type(String database, int oid) {
    check();
    return null;
  }

  @Override
  public void invalidate(String database) {
    invalidations++;
  }
}
