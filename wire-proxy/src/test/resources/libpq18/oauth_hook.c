/*
 * A libpq 18 client that hands libpq a bearer token through PQsetAuthDataHook, as an application
 * with its own OAuth flow does. Declarations are written out here because the PostgreSQL binaries
 * the build uses carry no headers; they follow libpq-fe.h of PostgreSQL 18.
 *
 * Usage: oauth_hook CONNINFO SQL, with the token in GATEHOUSE_TOKEN. Prints the first value of the
 * result, and the discovery URI and scope the server named (so the test can check them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;
typedef enum { PGRES_POLLING_FAILED = 0 } PostgresPollingStatusType;
typedef enum { CONNECTION_OK } ConnStatusType;
typedef enum { PGRES_EMPTY_QUERY = 0, PGRES_COMMAND_OK, PGRES_TUPLES_OK } ExecStatusType;
typedef enum { PQAUTHDATA_PROMPT_OAUTH_DEVICE, PQAUTHDATA_OAUTH_BEARER_TOKEN } PGauthData;

typedef struct PGoauthBearerRequest {
  const char *const openid_configuration;
  const char *const scope;
  PostgresPollingStatusType (*async)(PGconn *, struct PGoauthBearerRequest *, int *);
  void (*cleanup)(PGconn *, struct PGoauthBearerRequest *);
  char *token;
  void *user;
} PGoauthBearerRequest;

typedef int (*PQauthDataHook_type)(PGauthData type, PGconn *conn, void *data);

extern PGconn *PQconnectdb(const char *conninfo);
extern ConnStatusType PQstatus(const PGconn *conn);
extern char *PQerrorMessage(const PGconn *conn);
extern PGresult *PQexec(PGconn *conn, const char *query);
extern ExecStatusType PQresultStatus(const PGresult *res);
extern char *PQgetvalue(const PGresult *res, int row, int column);
extern void PQclear(PGresult *res);
extern void PQfinish(PGconn *conn);
extern void PQsetAuthDataHook(PQauthDataHook_type hook);
extern int PQdefaultAuthDataHook(PGauthData type, PGconn *conn, void *data);
extern int PQprotocolVersion(const PGconn *conn);

static int asked = 0;

static int hook(PGauthData type, PGconn *conn, void *data) {
  if (type != PQAUTHDATA_OAUTH_BEARER_TOKEN) {
    return PQdefaultAuthDataHook(type, conn, data);
  }
  PGoauthBearerRequest *request = data;
  asked++;
  printf("discovery: %s\nscope: %s\n", request->openid_configuration,
         request->scope ? request->scope : "");
  const char *token = getenv("GATEHOUSE_TOKEN");
  request->token = token ? strdup(token) : NULL;
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: oauth_hook CONNINFO SQL\n");
    return 2;
  }
  PQsetAuthDataHook(hook);
  PGconn *conn = PQconnectdb(argv[1]);
  if (PQstatus(conn) != CONNECTION_OK) {
    printf("connection failed: %s", PQerrorMessage(conn));
    PQfinish(conn);
    return 1;
  }
  PGresult *res = PQexec(conn, argv[2]);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    printf("query failed: %s", PQerrorMessage(conn));
    return 1;
  }
  printf("tokens asked: %d\nvalue: %s\n", asked, PQgetvalue(res, 0, 0));
  PQclear(res);
  PQfinish(conn);
  return 0;
}
