#include "widgets/ParamJson.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace latent {

QString paramMapToJson(const ParamMap& values) {
    QJsonObject obj;
    for (const auto& [name, value] : values) {
        const QString key = QString::fromStdString(name);
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, bool>) obj.insert(key, v);
                else if constexpr (std::is_same_v<T, std::int64_t>) obj.insert(key, qint64(v));
                else if constexpr (std::is_same_v<T, double>) obj.insert(key, v);
                else obj.insert(key, QString::fromStdString(v));
            },
            value);
    }
    return QString::fromUtf8(QJsonDocument(obj).toJson(QJsonDocument::Compact));
}

ParamMap paramMapFromJson(const QString& json) {
    ParamMap out;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    if (!doc.isObject()) return out;
    const QJsonObject obj = doc.object();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string key = it.key().toStdString();
        const QJsonValue v = it.value();
        if (v.isBool()) {
            out[key] = v.toBool();
        } else if (v.isDouble()) {
            const double d = v.toDouble();
            if (std::floor(d) == d && std::abs(d) < 9.0e15) out[key] = std::int64_t(d);
            else out[key] = d;
        } else if (v.isString()) {
            out[key] = v.toString().toStdString();
        }
    }
    return out;
}

}  // namespace latent
