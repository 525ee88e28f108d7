DROP TABLE doc_sections;
DROP TABLE doc_sources;
