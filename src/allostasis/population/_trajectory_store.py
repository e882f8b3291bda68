"""Full trajectories streamed to a Parquet file chunk by chunk (pyarrow), so that a trial never
holds every subject's time course in memory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["TrajectoryWriter"]


class TrajectoryWriter:
    """Append tidy trajectory chunks (``subject_id, strategy, day, index``) to one Parquet file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: pq.ParquetWriter | None = None

    def write(self, frame: pd.DataFrame) -> None:
        """Append one chunk (a row group)."""
        table = pa.Table.from_pandas(frame.astype({"strategy": "string"}), preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        self._writer.write_table(table)

    def close(self) -> None:
        """Finish the file."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
