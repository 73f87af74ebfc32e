"""Indexes for the list page's filters and sorts at 300,000 recommendations.

The link tables get (other side, recommendation) indexes: a filter such as "region = WEOG" then reads the
matching recommendation ids from the index alone instead of one table row per link (0.3 s for 45,000 links
on SQLite). Django creates these tables itself, so those indexes are plain SQL, the same on both databases.
"""

from django.db import migrations, models

LINKS = [
    ("recommendations_recommendation_recommending_states", "state_id", "rec_links_state_idx"),
    ("recommendations_recommendation_themes", "theme_id", "rec_links_theme_idx"),
    ("recommendations_recommendation_articles", "iccprarticle_id", "rec_links_article_idx"),
    ("recommendations_recommendation_sdgs", "sdg_id", "rec_links_sdg_idx"),
]


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_vocabularies_search")]

    operations = [
        *(
            migrations.RunSQL(f"CREATE INDEX {name} ON {table} ({column}, recommendation_id)", f"DROP INDEX {name}")
            for table, column, name in LINKS
        ),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["response", "-id"], name="recommendat_respons_1b8d66_idx"),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["date", "id"], name="recommendat_date_19621b_idx"),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["state", "date", "id"], name="recommendat_state_i_e72fa4_idx"),
        ),
    ]
