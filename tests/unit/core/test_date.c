/* test_date.c: civil dates (src/core/date.c). */
#include "../test.h"
#include "../../../src/core/core.h"

TEST(date_epoch_and_known_days)
{
    ent_date d;
    ASSERT_EQ(ent__date_make(1970, 1, 1, &d), 0);
    ASSERT_EQ(d, 0);
    ASSERT_EQ(ent__date_make(2000, 3, 1, &d), 0);
    ASSERT_EQ(d, 11017);
    ASSERT_EQ(ent__date_make(1969, 12, 31, &d), 0);
    ASSERT_EQ(d, -1);
    ASSERT_EQ(ent__date_make(1, 1, 1, &d), 0);
    ASSERT_EQ(d, -719162);
}

TEST(date_leap_years)
{
    ASSERT(ent__date_is_leap(2024));
    ASSERT(!ent__date_is_leap(2023));
    ASSERT(!ent__date_is_leap(1900));
    ASSERT(ent__date_is_leap(2000));
    ASSERT_EQ(ent__date_days_in_month(2024, 2), 29);
    ASSERT_EQ(ent__date_days_in_month(2023, 2), 28);
    ASSERT_EQ(ent__date_days_in_month(2023, 13), 0);
}

TEST(date_parse_refuses_days_that_do_not_exist)
{
    ent_date d;
    ASSERT_EQ(ent__date_parse("2023-02-29", 10, &d), -2);
    ASSERT_EQ(ent__date_parse("2024-02-29", 10, &d), 0);
    ASSERT_EQ(ent__date_parse("2022-13-01", 10, &d), -2);
    ASSERT_EQ(ent__date_parse("2022-04-31", 10, &d), -2);
    ASSERT_EQ(ent__date_parse("0000-01-01", 10, &d), -2);
    ASSERT_EQ(ent__date_parse("2022-1-01", 9, &d), -1);
    ASSERT_EQ(ent__date_parse("2022/01/01", 10, &d), -1);
    ASSERT_EQ(ent__date_parse("20x2-01-01", 10, &d), -1);
}

TEST(date_round_trip_every_day_1900_2100)
{
    ent_date a, b;
    char buf[11];
    ASSERT_EQ(ent__date_make(1900, 1, 1, &a), 0);
    ASSERT_EQ(ent__date_make(2100, 12, 31, &b), 0);
    int prev_y = 1899, prev_m = 12, prev_d = 31;
    for (ent_date d = a; d <= b; d++) {
        int y, m, dd;
        ent__date_split(d, &y, &m, &dd);
        /* consecutive days are consecutive calendar dates */
        if (dd == 1) {
            ASSERT_EQ(prev_d, ent__date_days_in_month(prev_y, prev_m));
        } else {
            ASSERT_EQ(dd, prev_d + 1);
        }
        ent_date back;
        ASSERT_EQ(ent__date_parse(ent__date_format(d, buf), 10, &back), 0);
        ASSERT_EQ(back, d);
        prev_y = y; prev_m = m; prev_d = dd;
    }
}

TEST(date_add_and_format)
{
    ent_date d;
    char buf[11];
    ASSERT_EQ(ent__date_parse("2022-01-11", 10, &d), 0);
    ASSERT_STR_EQ(ent__date_format(ent__date_add(d, 10), buf), "2022-01-21");
    ASSERT_STR_EQ(ent__date_format(ent__date_add(d, -11), buf), "2021-12-31");
    ASSERT_EQ(ent__date_parse("2024-02-28", 10, &d), 0);
    ASSERT_STR_EQ(ent__date_format(ent__date_add(d, 1), buf), "2024-02-29");
    ASSERT_STR_EQ(ent__date_format(ENT_DATE_NONE, buf), "-");
}

TEST(date_ranges)
{
    ent_date a, b, c;
    ASSERT_EQ(ent__date_parse("2022-01-06", 10, &a), 0);
    ASSERT_EQ(ent__date_parse("2022-01-19", 10, &b), 0);
    ASSERT_EQ(ent__date_parse("2022-01-20", 10, &c), 0);
    ent_range r = { a, b };
    ASSERT(ent__range_contains(r, a));
    ASSERT(ent__range_contains(r, b));
    ASSERT(!ent__range_contains(r, c));
    ASSERT(!ent__range_contains(r, a - 1));
    ASSERT_EQ(ent__range_days(r), 14);
    ASSERT_EQ(ent__range_days((ent_range){ a, ENT_DATE_NONE }), -1);
    ASSERT(ent__range_contains((ent_range){ ENT_DATE_NONE, ENT_DATE_NONE }, c));
    ASSERT(ent__range_contains((ent_range){ a, ENT_DATE_NONE }, c));
    ASSERT(ent__range_overlap(r, (ent_range){ b, c }));
    ASSERT(!ent__range_overlap(r, (ent_range){ c, c + 5 }));
    ASSERT(ent__range_overlap(r, (ent_range){ ENT_DATE_NONE, a }));
    ASSERT(!ent__range_overlap((ent_range){ ENT_DATE_NONE, a - 1 }, r));
}
