"""Models: embeddings, FAISS index, industry taxonomies, policy parsing and region-aware hybrid policy search."""
