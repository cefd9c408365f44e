"""Fleet sync: many kiosks, one set of people, through a PostgreSQL server that only
ever holds records sealed with the fleet key (see docs/fleet.md)."""
