DROP TABLE embeddings;
