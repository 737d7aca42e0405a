/*
** test_world_json.c: ent_world_json() (GET /api/world): the states of the world
** with their capitals' positions, and the links between them (land borders,
** closed ones, sea links), as JSON; only JSON is offered.
*/
#include "../core/rules_helper.h"

TEST(world_json_states_and_links)
{
    rt_open(0);
    char **out = rt_slot();
    ASSERT_EQ(ent_world_json(R.db, ENT_FMT_JSON, out), ENT_OK);
    const char *j = *out;
    ASSERT(strncmp(j, "{\"states\":[{\"code\":\"AM\",\"name\":\"Armenia\",\"capital\":\"Yerevan\","
                      "\"lat\":40.1792,\"lon\":44.4991},", 90) == 0);
    ASSERT_CONTAINS(j, "{\"code\":\"KZ\",\"name\":\"Kazakhstan\",\"capital\":\"Astana\",\"lat\":51.1694,\"lon\":71.4491}");
    ASSERT_CONTAINS(j, "],\"links\":[{\"a\":\"AM\",\"b\":\"GE\",\"kind\":\"land\",\"sea\":null,\"closed\":false}");
    ASSERT_CONTAINS(j, "{\"a\":\"AM\",\"b\":\"TR\",\"kind\":\"land\",\"sea\":null,\"closed\":true}");
    ASSERT_CONTAINS(j, "{\"a\":\"AZ\",\"b\":\"KZ\",\"kind\":\"sea\",\"sea\":\"Caspian\",\"closed\":false}");
    ASSERT(strcmp(j + strlen(j) - 3, "]}\n") == 0);
    /* one object per declared state */
    int n = 0;
    for (const char *p = j; (p = strstr(p, "\"capital\":")) != NULL; p++) n++;
    ASSERT_EQ(n, 23);
    char **txt = rt_slot();
    ASSERT_EQ(ent_world_json(R.db, ENT_FMT_TEXT, txt), ENT_EUSAGE);
    ASSERT(*txt == NULL);
    rt_done();
}
