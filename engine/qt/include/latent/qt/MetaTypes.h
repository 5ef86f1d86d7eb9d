#pragma once
// Engine value types carried by queued Qt signals. Declared here once so every
// Qt target sees the same declarations; EngineBridge registers them at runtime.
#include <QMetaType>

#include "latent/Chunk.h"
#include "latent/Error.h"
#include "latent/JobInfo.h"
#include "latent/JobState.h"
#include "latent/Progress.h"
#include "latent/Provenance.h"

Q_DECLARE_METATYPE(latent::JobInfo)
Q_DECLARE_METATYPE(latent::Progress)
Q_DECLARE_METATYPE(latent::ChunkPtr)
Q_DECLARE_METATYPE(latent::Provenance)
Q_DECLARE_METATYPE(latent::JobState)
Q_DECLARE_METATYPE(latent::ErrorKind)

namespace latent {
// Registers the types above by name (idempotent, thread-safe).
void registerEngineMetaTypes();
}  // namespace latent
